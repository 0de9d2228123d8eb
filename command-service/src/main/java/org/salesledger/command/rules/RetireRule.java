package org.salesledger.command.rules;

import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Retire rule {@code ruleId}: it stops acting and stays in the history. */
public record RetireRule(@TargetAggregateIdentifier String rulebookId, String ruleId, String author, String reason) {

    public RetireRule {
        Objects.requireNonNull(rulebookId, "rulebookId");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(author, "author");
    }
}
