package org.salesledger.command.customer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.salesledger.kernel.lifecycle.Stage;

/**
 * One active time-driven rule as the Customer needs it to plan and check its deadlines: the settings of its kind
 * (contract §6) and, when a deadline fires, whether the rule's {@code when} condition holds for this customer at that
 * moment ({@code whenHolds}; {@code true} for a rule without one, and while only planning).
 *
 * @param stage        ESCALATE: the stage the customer sits in
 * @param after        the waiting period (POOL: the protection period of a customer without a class of its own)
 * @param to           ESCALATE: who is escalated to; IDLE: who gets a copy
 * @param unless       ESCALATE: the action types that clear it
 * @param maxAfter     POOL: the hard maximum of the protection from the moment the owner got the customer
 * @param afterByClass POOL: protection periods per customer class
 * @param remindBefore POOL: how long before the release the owner is reminded
 */
public record TimeRule(String ruleId, int version, Kind kind, Stage stage, Duration after, String to,
                       List<String> unless, Duration maxAfter, Map<String, Duration> afterByClass,
                       Duration remindBefore, boolean whenHolds) {

    /** The time-driven kinds of contract §6. */
    public enum Kind { ESCALATE, IDLE, POOL, COLLECTION }

    public TimeRule {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(after, "after");
        unless = unless == null ? List.of() : List.copyOf(unless);
        afterByClass = afterByClass == null ? Map.of() : Map.copyOf(afterByClass);
    }

    public TimeRule withWhenHolds(boolean holds) {
        return new TimeRule(ruleId, version, kind, stage, after, to, unless, maxAfter, afterByClass, remindBefore,
                holds);
    }

    /** POOL: the protection period for a customer of this class ({@code null}: unclassified). */
    public Duration afterFor(String customerClass) {
        return customerClass == null ? after : afterByClass.getOrDefault(customerClass, after);
    }
}
