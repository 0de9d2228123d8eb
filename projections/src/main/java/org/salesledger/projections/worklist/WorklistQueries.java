package org.salesledger.projections.worklist;

import static org.salesledger.projections.jooq.Tables.WORKLIST_CUSTOMER;
import static org.salesledger.projections.jooq.Tables.WORKLIST_ESCALATION;
import static org.salesledger.projections.jooq.Tables.WORKLIST_TODO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.salesledger.kernel.access.Scope;
import org.springframework.stereotype.Repository;

@Repository
class WorklistQueries implements WorklistReadModel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext db;

    WorklistQueries(DSLContext db) {
        this.db = db;
    }

    @Override
    public List<PoolEntry> pool(Scope scope, String region, String customerClass, int limit) {
        var c = WORKLIST_CUSTOMER;
        Condition where = c.IN_POOL.isTrue().and(covered(scope));
        if (region != null) {
            where = where.and(c.REGION.eq(region));
        }
        if (customerClass != null) {
            where = where.and(c.CUSTOMER_CLASS.eq(customerClass));
        }
        return db.selectFrom(c).where(where).orderBy(c.RELEASED_AT, c.CUSTOMER_ID).limit(limit)
                .fetch(r -> new PoolEntry(r.getCustomerId(), r.getName(), r.getRegion(), r.getCustomerClass(),
                        r.getStage(), instant(r.getReleasedAt()), r.getPreviousOwner(), r.getReleasedByRule(),
                        instant(r.getLastActionAt()), r.getLastActionType()));
    }

    @Override
    public List<Escalation> escalations(Scope scope, String addressee, String to, int limit) {
        var e = WORKLIST_ESCALATION;
        Condition visible = addressee == null ? covered(scope) : covered(scope).or(e.ESCALATED_TO.eq(addressee));
        Condition where = e.CLOSED_AT.isNull().and(visible);
        if (to != null) {
            where = where.and(e.ESCALATED_TO.eq(to));
        }
        return db.select().from(e).join(WORKLIST_CUSTOMER).on(WORKLIST_CUSTOMER.CUSTOMER_ID.eq(e.CUSTOMER_ID))
                .where(where).orderBy(e.RAISED_AT, e.CUSTOMER_ID, e.SEQ).limit(limit)
                .fetch(r -> new Escalation(r.get(e.ACTION_ID), r.get(e.ESCALATED_TO), r.get(e.STAGE),
                        instant(r.get(e.SINCE)), instant(r.get(e.RAISED_AT)), r.get(e.AFTER),
                        Arrays.stream(r.get(e.UNLESS_TYPES).split(",")).filter(s -> !s.isBlank()).toList(),
                        r.get(e.RULE_ID), r.get(e.RULE_VERSION), customer(r)));
    }

    @Override
    public List<Todo> todo(Scope scope, String repId, int limit) {
        var t = WORKLIST_TODO;
        Condition mine = t.REP_ID.eq(repId).or(t.COPY_TO.eq(repId)).and(covered(scope));
        return db.select().from(t).join(WORKLIST_CUSTOMER).on(WORKLIST_CUSTOMER.CUSTOMER_ID.eq(t.CUSTOMER_ID))
                .where(t.CLOSED_AT.isNull().and(mine)).orderBy(t.DUE_AT, t.CUSTOMER_ID, t.SEQ).limit(limit)
                .fetch(r -> new Todo(r.get(t.ACTION_ID), r.get(t.KIND), instant(r.get(t.DUE_AT)), r.get(t.RULE_ID),
                        !repId.equals(r.get(t.REP_ID)), json(r.get(t.DETAILS).data()), customer(r)));
    }

    /**
     * The customers of {@code worklist_customer} the scope covers, as a condition on its columns. A customer in the
     * public pool has no owner (its {@code owner_rep_id} still names the one it was released from).
     */
    static Condition covered(Scope scope) {
        var c = WORKLIST_CUSTOMER;
        Condition covered = org.salesledger.projections.scope.ScopeConditions.covered(scope, c.REGION,
                c.OWNER_REP_ID);
        return scope instanceof Scope.Owners ? c.IN_POOL.isFalse().and(covered) : covered;
    }

    private static Customer customer(Record r) {
        var c = WORKLIST_CUSTOMER;
        return new Customer(r.get(c.CUSTOMER_ID), r.get(c.NAME), r.get(c.REGION), r.get(c.OWNER_REP_ID),
                r.get(c.CUSTOMER_CLASS), r.get(c.STAGE), instant(r.get(c.LAST_ACTION_AT)), r.get(c.LAST_ACTION_TYPE));
    }

    private static java.time.Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    static Condition noCondition() {
        return DSL.noCondition();
    }
}
