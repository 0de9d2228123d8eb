package org.salesledger.projections.talktrack;

import static org.salesledger.projections.jooq.Tables.TALKTRACK_CUSTOMER;

import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.salesledger.kernel.access.Scope;
import org.springframework.stereotype.Repository;

@Repository
class TalkTrackEffectQueries implements TalkTrackEffectReadModel {

    /** {0}: script id; {1}: the customers in scope, as a condition on {@code talktrack_cycle.customer_id}. */
    private static final String CYCLES = """
            WITH cycles AS (
              SELECT customer_id, first_contract_at,
                     EXTRACT(EPOCH FROM first_contract_at - first_proposal_at) / 86400.0 AS days
              FROM talktrack_cycle
              WHERE first_proposal_at IS NOT NULL AND first_contract_at IS NOT NULL
                AND first_contract_at >= first_proposal_at AND {1}),
            marked AS (
              SELECT days, EXISTS (SELECT 1 FROM talktrack_use u WHERE u.script_id = {0} AND u.customer_id = c.customer_id
                                     AND u.used_at <= c.first_contract_at) AS with_script
              FROM cycles c)
            SELECT with_script, count(*) AS customers,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median_days
            FROM marked GROUP BY with_script""";

    /** {0}: window in days; {1}: script id; {2}: the customers in scope, as a condition on {@code u.customer_id}. */
    private static final String USES = """
            SELECT count(*) AS uses, count(DISTINCT customer_id) AS customers,
                   (SELECT count(DISTINCT u.customer_id) FROM talktrack_use u
                      JOIN talktrack_contract k ON k.customer_id = u.customer_id AND k.signed_at >= u.used_at
                                                AND k.signed_at <= u.used_at + make_interval(days => {0})
                     WHERE u.script_id = {1} AND {2}) AS deals
            FROM talktrack_use u WHERE u.script_id = {1} AND {2}""";

    private final DSLContext db;

    TalkTrackEffectQueries(DSLContext db) {
        this.db = db;
    }

    @Override
    public Effect effect(Scope scope, String scriptId, int windowDays) {
        Record uses = db.fetchOne(USES, DSL.val(windowDays), DSL.val(scriptId), inScope(scope, "u"));
        Group with = new Group(0, null);
        Group without = new Group(0, null);
        for (Record r : db.fetch(CYCLES, DSL.val(scriptId), inScope(scope, "talktrack_cycle"))) {
            Number median = (Number) r.get("median_days");
            Group group = new Group(((Number) r.get("customers")).longValue(),
                    median == null ? null : median.doubleValue());
            if (Boolean.TRUE.equals(r.get("with_script"))) {
                with = group;
            } else {
                without = group;
            }
        }
        Double saved = with.medianDays() == null || without.medianDays() == null ? null
                : without.medianDays() - with.medianDays();
        return new Effect(scriptId, ((Number) uses.get("uses")).longValue(),
                ((Number) uses.get("customers")).longValue(), windowDays, ((Number) uses.get("deals")).longValue(),
                new Cycle(with, without, saved));
    }

    @Override
    public List<Effect> effects(Scope scope, int windowDays) {
        return db.fetch("SELECT DISTINCT script_id FROM talktrack_use WHERE {0} ORDER BY script_id",
                        inScope(scope, "talktrack_use"))
                .map(r -> effect(scope, (String) r.get(0), windowDays));
    }

    /**
     * The rows whose {@code customer_id} (of the table or alias {@code table}) is a customer the scope covers: its registration region, its owner now ({@code talktrack_customer}). With every customer in
     * scope, no condition at all (a customer whose registration was not applied counts too).
     */
    private static Condition inScope(Scope scope, String table) {
        var c = TALKTRACK_CUSTOMER;
        if (scope instanceof Scope.All) {
            return DSL.noCondition();
        }
        Condition covered = org.salesledger.projections.scope.ScopeConditions.covered(scope, c.REGION,
                c.OWNER_REP_ID);
        return DSL.field(DSL.name(table, "customer_id"), String.class)
                .in(DSL.select(c.CUSTOMER_ID).from(c).where(covered));
    }
}
