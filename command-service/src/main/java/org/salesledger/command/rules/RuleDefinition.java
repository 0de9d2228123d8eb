package org.salesledger.command.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.salesledger.kernel.health.IncentivePlan;
import org.salesledger.kernel.lifecycle.Stage;

/**
 * A rule body of contract §6 ({@code {kind, when?, …}}), read and validated by {@link RuleParser}. Every kind may
 * carry a {@code when} condition (CEL) that restricts it to the customers for which it holds, and a
 * {@code description}. Durations are ISO 8601.
 */
public sealed interface RuleDefinition {

    RuleKind kind();

    /** The CEL condition; required for TAG and TALK_TRACK, optional (a filter) for the others. */
    String when();

    String description();

    /** {@code CustomerTagged} / {@code CustomerUntagged} as {@code when} turns true / false. */
    record Tag(String when, String tag, String description) implements RuleDefinition {
        public RuleKind kind() {
            return RuleKind.TAG;
        }
    }

    /** {@code CustomerClassified} when the first matching class changes. */
    record Classify(String when, List<ClassCase> classes, String description) implements RuleDefinition {
        public RuleKind kind() {
            return RuleKind.CLASSIFY;
        }
    }

    /** One class of a CLASSIFY rule and its condition. */
    record ClassCase(String customerClass, String when) {
    }

    /** {@code EscalationRaised} when a customer has sat in {@code stage} for {@code after} with none of {@code unless}. */
    record Escalate(String when, Stage stage, Duration after, String to, List<String> unless, String description)
            implements RuleDefinition {
        public RuleKind kind() {
            return RuleKind.ESCALATE;
        }
    }

    /** {@code FollowUpDue} for the owner (copy to {@code to}) after {@code after} without any action. */
    record Idle(String when, Duration after, String to, String description) implements RuleDefinition {
        public RuleKind kind() {
            return RuleKind.IDLE;
        }
    }

    /**
     * {@code CustomerReleasedToPool} after {@code after} without a follow-up by the owner. The pool settings: each
     * follow-up extends the protection up to {@code maxAfter}; {@code afterByClass} sets other periods per customer
     * class; {@code remindBefore} reminds the owner that long before the release; the previous owner may not claim
     * the customer again for {@code reclaimLockout}; a rep claims at most {@code dailyClaimLimit} customers a day
     * and owns at most {@code maxCustomersPerRep}. Every setting but {@code after} is optional.
     */
    record Pool(String when, Duration after, Duration maxAfter, Map<String, Duration> afterByClass,
                Duration remindBefore, Duration reclaimLockout, Integer dailyClaimLimit, Integer maxCustomersPerRep,
                String description) implements RuleDefinition {
        public RuleKind kind() {
            return RuleKind.POOL;
        }
    }

    /** {@code CollectionDue} when a contract has no {@code PaymentReceived} within {@code after}. */
    record Collection(String when, Duration after, String description) implements RuleDefinition {
        public RuleKind kind() {
            return RuleKind.COLLECTION;
        }
    }

    /**
     * The incentive plan of contract §8 ({@link IncentivePlan}): no condition and no effect on customers — the health
     * read model computes with the active one. At most one INCENTIVE rule is active at a time.
     */
    record Incentive(IncentivePlan plan, String description) implements RuleDefinition {
        public RuleKind kind() {
            return RuleKind.INCENTIVE;
        }

        /** A plan applies to every rep: it has no condition. */
        public String when() {
            return null;
        }
    }

    /**
     * {@code TalkTracksSuggested} when a logged visit matches {@code when} (over {@code visit}); {@code TalkTrackIgnored}
     * to {@code to} (default {@code "supervisor"}) after {@code alertAfterUnused} suggestions in a row went unused
     * (no alert when absent).
     */
    record TalkTrack(String when, List<String> scripts, Integer alertAfterUnused, String to, String description)
            implements RuleDefinition {
        public RuleKind kind() {
            return RuleKind.TALK_TRACK;
        }
    }
}
