package org.salesledger.command.rules;

import java.util.Map;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Publish {@code rule} (a body {@link RuleParser} accepted) as the next version of {@code ruleId}. {@code kind} and
 * {@code tag} let the rulebook keep one active CLASSIFY rule and one active TAG rule per tag.
 */
public record PublishRule(@TargetAggregateIdentifier String rulebookId, String ruleId, RuleKind kind, String tag,
                          Map<String, Object> rule, String author, String reason) {

    public PublishRule {
        Objects.requireNonNull(rulebookId, "rulebookId");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(author, "author");
    }
}
