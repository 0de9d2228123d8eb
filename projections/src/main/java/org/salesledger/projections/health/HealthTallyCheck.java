package org.salesledger.projections.health;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The reps' days of counts ({@code health_day}, {@code health_day_contract}) held against a recount of the rows they
 * count, under the basis they were counted under: the consistency check's part for them (docs/adr/0025, 0042). The
 * projection keeps each tally by differences, batch by batch; a recount from the rows is what a plan change writes
 * (see {@link HealthDays}), so a tally that is not its recount has lost or gained something. The rows themselves are
 * compared with the event store customer by customer; a tally spans customers, so it is compared whole. Run it
 * inside one snapshot: the projection writes the rows and their tallies in one transaction.
 */
public final class HealthTallyCheck {

    private HealthTallyCheck() {
    }

    /**
     * One tally that is not its recount: its table, its key ({@code rep-07, 2025-03-01}, and the currency of a
     * contracts' tally), and the counts that differ, as the rows give them and as the tally holds them.
     */
    public record Mismatch(String table, String key, String expected, String found) {
    }

    /** Every tally that is not its recount, in key order; none when nothing has been counted yet. */
    public static List<Mismatch> mismatches(DSLContext db) {
        HealthDays days = new HealthDays(db, DSL::name);
        HealthDays.Basis basis = days.current();
        if (basis == null) {
            return List.of();
        }
        List<Mismatch> mismatches = new ArrayList<>();
        for (HealthDays.Kind kind : List.of(HealthDays.ACTIONS, HealthDays.CONTRACTS)) {
            for (Record r : days.unlikeRecount(kind, basis)) {
                String key = String.join(", ", HealthDays.key(kind, r).stream().map(String::valueOf).toList());
                List<String> expected = new ArrayList<>();
                List<String> found = new ArrayList<>();
                for (String column : kind.columns()) {
                    BigDecimal want = r.get("expected_" + column, BigDecimal.class);
                    BigDecimal have = r.get("found_" + column, BigDecimal.class);
                    if (want.compareTo(have) != 0) {
                        expected.add(column + " " + want.toPlainString());
                        found.add(column + " " + have.toPlainString());
                    }
                }
                mismatches.add(new Mismatch(kind.table(), key, String.join(", ", expected),
                        String.join(", ", found)));
            }
        }
        return mismatches;
    }
}
