package org.salesledger.projections.timeline;

import static org.salesledger.projections.jooq.Tables.TIMELINE_EVENT;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.salesledger.kernel.envelope.ActionData;
import org.springframework.stereotype.Repository;

@Repository
class TimelineQueries implements TimelineReadModel {

    private static final ObjectMapper JSON = ActionData.mapper();

    private final DSLContext db;

    TimelineQueries(DSLContext db) {
        this.db = db;
    }

    @Override
    public Optional<Timeline> timeline(String customerId, OffsetDateTime asOf) {
        boolean known = db.fetchExists(TIMELINE_EVENT, TIMELINE_EVENT.CUSTOMER_ID.eq(customerId));
        if (!known) {
            return Optional.empty();
        }
        Condition when = asOf == null ? org.jooq.impl.DSL.noCondition() : TIMELINE_EVENT.OCCURRED_AT.le(asOf);
        List<Entry> entries = db.select(TIMELINE_EVENT.ACTION_ID, TIMELINE_EVENT.TYPE, TIMELINE_EVENT.TIME_TEXT,
                        TIMELINE_EVENT.ACTOR, TIMELINE_EVENT.DATA, TIMELINE_EVENT.SOURCE, TIMELINE_EVENT.DEVICE_ID,
                        TIMELINE_EVENT.RECORDED_AT)
                .from(TIMELINE_EVENT)
                .where(TIMELINE_EVENT.CUSTOMER_ID.eq(customerId).and(when))
                .orderBy(TIMELINE_EVENT.SEQ)
                .fetch(r -> new Entry(r.value1(), r.value2(), r.value3(), r.value4(), json(r.value5()), r.value6(),
                        r.value7(), r.value8()));
        return Optional.of(new Timeline(customerId, entries));
    }

    private static JsonNode json(JSONB data) {
        try {
            return JSON.readTree(data.data());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("timeline data is not JSON", e);
        }
    }
}
