package org.salesledger.command.customer;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A deadline of the customer fired at {@code firedAt} (the moment it was due, from the scheduler): record what the
 * current time-driven rules ({@code rules}, each with whether its {@code when} holds now) say is due by then — each
 * once per waiting period — and answer the next deadline ({@link TimerOutcome}). A deadline that is stale (the
 * awaited action came, the rule changed or was retired, the period was already acted on) records nothing.
 */
public record FireTimers(@TargetAggregateIdentifier String customerId, Instant firedAt, List<TimeRule> rules,
                         org.salesledger.kernel.access.OrgChart chart) implements CustomerCommand {

    public FireTimers(String customerId, Instant firedAt, List<TimeRule> rules) {
        this(customerId, firedAt, rules, org.salesledger.kernel.access.OrgChart.EMPTY);
    }

    public FireTimers {
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(firedAt, "firedAt");
        rules = List.copyOf(rules);
    }
}
