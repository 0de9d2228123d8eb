package org.salesledger.command.customer;

import java.util.List;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Ask the customer when its next deadline falls under these time-driven rules (the active ones): the earliest moment
 * at which one of its waiting periods runs out. Records nothing; answers the moment, or {@code null} when nothing
 * waits.
 */
public record PlanTimers(@TargetAggregateIdentifier String customerId, List<TimeRule> rules)
        implements CustomerCommand {

    public PlanTimers {
        Objects.requireNonNull(customerId, "customerId");
        rules = List.copyOf(rules);
    }
}
