package org.salesledger.command.customer;

import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Apply what the event-driven rules say of the customer as of its action {@code triggerActionId} (sequence number
 * {@code triggerSeq}), which happened at {@code now} (RFC 3339, kept as given: the rule-made actions happen then).
 * The customer records only what changes, once: an evaluation at or before one already applied records nothing,
 * so a repeated or late evaluation (redelivery, restart, a second node) is harmless.
 */
public record EvaluateRules(@TargetAggregateIdentifier String customerId, long triggerSeq, String triggerActionId,
                            String now, RuleOutcome outcome) implements CustomerCommand {

    public EvaluateRules {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(triggerActionId, "triggerActionId");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(outcome, "outcome");
    }
}
