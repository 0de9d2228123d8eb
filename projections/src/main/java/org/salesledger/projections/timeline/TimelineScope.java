package org.salesledger.projections.timeline;

import static org.salesledger.projections.jooq.Tables.TIMELINE_OWNERSHIP;

import org.jooq.DSLContext;
import org.salesledger.kernel.access.Scope;
import org.springframework.stereotype.Component;

/**
 * Whether a caller's scope covers a customer (contract §7), as the timeline read model knows whose customer it is:
 * its region is its registration's, its owner the one its last change of owner left (none in the public pool). The
 * one place that decides it for every single-customer read built on the timeline (the timeline, the customer's
 * state and changes, the audit export and an action's proof). A bean, so that the query side's controllers ask it
 * without touching jOOQ themselves.
 */
@Component
public final class TimelineScope {

    private final DSLContext db;

    public TimelineScope(DSLContext db) {
        this.db = db;
    }

    /**
     * Whether {@code scope} covers the customer. A customer whose registration the timeline has not applied is covered
     * only by a scope of every customer.
     */
    public boolean covers(Scope scope, String customerId) {
        if (scope instanceof Scope.All) {
            return true;
        }
        var o = TIMELINE_OWNERSHIP;
        var region = db.select(o.REGION).from(o).where(o.CUSTOMER_ID.eq(customerId).and(o.REGISTERED.isTrue()))
                .orderBy(o.SEQ).limit(1).asField();
        var owner = db.select(o.OWNER_REP_ID).from(o).where(o.CUSTOMER_ID.eq(customerId))
                .orderBy(o.SEQ.desc()).limit(1).asField();
        var row = db.select(region, owner).fetchOne();
        return row != null && scope.covers((String) row.value1(), (String) row.value2());
    }
}
