package org.salesledger.projections.health;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.access.Unscoped;
import org.salesledger.kernel.health.HealthMetric;
import org.salesledger.kernel.health.IncentivePlan;

/**
 * Rep health (contract §8): the facts of each rep's actions, counted over a period with an incentive plan's
 * definitions, and the ids of the actions behind each metric. The scope is over reps (docs/health.md): {@link
 * Scope#ALL} covers every rep, {@link Scope.Owners} the reps it names; a rep's figures are always whole, whoever
 * asks. Periods are dates, UTC, {@code to} exclusive.
 */
public interface HealthReadModel {

    /** The plan in force: the active {@code INCENTIVE} rule's latest version, else {@link IncentivePlan#DEFAULT}. */
    record PlanVersion(String ruleId, int version, IncentivePlan plan) {
        public static final PlanVersion DEFAULT = new PlanVersion(null, 0, IncentivePlan.DEFAULT);
    }

    @Unscoped("the incentive plan is a rule: nothing of a customer or a rep in it")
    PlanVersion currentPlan();

    /**
     * The tally of each rep of {@code reps} that has anything counted in [{@code from}, {@code to}); reps without
     * any are absent.
     */
    Map<String, HealthTally> tallies(Scope reps, LocalDate from, LocalDate to, IncentivePlan plan);

    /**
     * One rep's tally per calendar month, for each month whose first day is in [{@code from}, {@code to}) (both
     * first days of months); months without anything counted are absent.
     */
    Map<LocalDate, HealthTally> monthlyTallies(Scope reps, String repId, LocalDate from, LocalDate to,
                                               IncentivePlan plan);

    /**
     * The ids of the actions {@code metric}'s numerator counts for {@code repId}, oldest first (by time, then id),
     * {@code limit} of them from {@code offset}; {@code currency} only for {@code highMarginShare} ({@code null}:
     * every currency). Empty for a rep outside {@code reps}.
     */
    List<String> evidence(Scope reps, String repId, HealthMetric metric, String currency, LocalDate from,
                          LocalDate to, IncentivePlan plan, int offset, int limit);

    /**
     * One rep's period as a rep-month answer needs it: its tally ({@link HealthTally#NONE} when nothing is counted)
     * and, for each metric, the first {@code shown} of the ids {@link #evidence} lists (oldest first, by time then
     * id); {@code highMarginShare}'s per currency in {@code highMarginEvidence}. Two statements, whatever the
     * metrics; empty for a rep outside {@code reps}.
     */
    RepPeriod repPeriod(Scope reps, String repId, LocalDate from, LocalDate to, IncentivePlan plan, int shown);

    /**
     * A rep's tally over a period with the first evidence ids of each metric.
     *
     * @param evidence every metric but {@code highMarginShare}: its first evidence ids
     * @param highMarginEvidence {@code highMarginShare}'s first evidence ids per currency
     */
    record RepPeriod(HealthTally tally, Map<HealthMetric, List<String>> evidence,
                     Map<String, List<String>> highMarginEvidence) {

        public RepPeriod {
            evidence = Map.copyOf(evidence);
            highMarginEvidence = Map.copyOf(highMarginEvidence);
        }
    }
}
