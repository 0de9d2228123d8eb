package org.salesledger.projections.talktrack;

import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

@Repository
class TalkTrackEffectQueries implements TalkTrackEffectReadModel {

    private static final String CYCLES = """
            WITH cycles AS (
              SELECT customer_id, first_contract_at,
                     EXTRACT(EPOCH FROM first_contract_at - first_proposal_at) / 86400.0 AS days
              FROM talktrack_cycle
              WHERE first_proposal_at IS NOT NULL AND first_contract_at IS NOT NULL
                AND first_contract_at >= first_proposal_at),
            marked AS (
              SELECT days, EXISTS (SELECT 1 FROM talktrack_use u WHERE u.script_id = ? AND u.customer_id = c.customer_id
                                     AND u.used_at <= c.first_contract_at) AS with_script
              FROM cycles c)
            SELECT with_script, count(*) AS customers,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median_days
            FROM marked GROUP BY with_script""";

    private static final String USES = """
            SELECT count(*) AS uses, count(DISTINCT customer_id) AS customers,
                   (SELECT count(DISTINCT u.customer_id) FROM talktrack_use u
                      JOIN talktrack_contract k ON k.customer_id = u.customer_id AND k.signed_at >= u.used_at
                                                AND k.signed_at <= u.used_at + make_interval(days => ?)
                     WHERE u.script_id = ?) AS deals
            FROM talktrack_use WHERE script_id = ?""";

    private final DSLContext db;

    TalkTrackEffectQueries(DSLContext db) {
        this.db = db;
    }

    @Override
    public Effect effect(String scriptId, int windowDays) {
        Record uses = db.fetchOne(USES, windowDays, scriptId, scriptId);
        Group with = new Group(0, null);
        Group without = new Group(0, null);
        for (Record r : db.fetch(CYCLES, scriptId)) {
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
    public List<Effect> effects(int windowDays) {
        return db.fetch("SELECT DISTINCT script_id FROM talktrack_use ORDER BY script_id")
                .map(r -> effect((String) r.get(0), windowDays));
    }
}
