package org.salesledger.projections.timeline;

import static org.salesledger.projections.jooq.Tables.TIMELINE_EVENT;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.envelope.ActionData;
import org.springframework.stereotype.Repository;

@Repository
class TimelineQueries implements TimelineReadModel {

    private static final ObjectMapper JSON = ActionData.mapper();

    private final DSLContext db;
    private final TimelineScope scopes;

    TimelineQueries(DSLContext db) {
        this.db = db;
        this.scopes = new TimelineScope(db);
    }

    @Override
    public Optional<Timeline> timeline(Scope scope, String customerId, OffsetDateTime asOf, Page page) {
        boolean known = db.fetchExists(TIMELINE_EVENT, TIMELINE_EVENT.CUSTOMER_ID.eq(customerId));
        if (!known || !scopes.covers(scope, customerId)) {
            return Optional.empty();
        }
        Condition when = asOf == null ? DSL.noCondition() : TIMELINE_EVENT.OCCURRED_AT.le(asOf);
        Condition after = page.after() == null ? DSL.noCondition() : TIMELINE_EVENT.SEQ.gt(page.after());
        var query = db.select(TIMELINE_EVENT.ACTION_ID, TIMELINE_EVENT.TYPE, TIMELINE_EVENT.TIME_TEXT,
                        TIMELINE_EVENT.ACTOR, TIMELINE_EVENT.DATA, TIMELINE_EVENT.SOURCE, TIMELINE_EVENT.DEVICE_ID,
                        TIMELINE_EVENT.RECORDED_AT, TIMELINE_EVENT.SEQ, TIMELINE_EVENT.RECORDED_BY)
                .from(TIMELINE_EVENT)
                .where(TIMELINE_EVENT.CUSTOMER_ID.eq(customerId).and(when).and(after))
                .orderBy(TIMELINE_EVENT.SEQ);
        // one row more than asked tells whether there is a next page
        var rows = page.limit() == null ? query.fetch() : query.limit(page.limit() + 1).fetch();
        boolean more = page.limit() != null && rows.size() > page.limit();
        List<Entry> entries = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size() && (!more || i < page.limit()); i++) {
            var r = rows.get(i);
            entries.add(new Entry(r.value1(), r.value2(), r.value3(), r.value4(), json(r.value5()), r.value6(),
                    r.value7(), r.value8().toInstant().toString(), r.value10()));
        }
        Long next = more ? rows.get(page.limit() - 1).value9() : null;
        return Optional.of(new Timeline(customerId, entries, next));
    }

    private static JsonNode json(JSONB data) {
        try {
            return JSON.readTree(data.data());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("timeline data is not JSON", e);
        }
    }
}
