package org.salesledger.kernel.rules;

import java.util.Map;
import java.util.Objects;

/**
 * A manager published version {@code version} of rule {@code ruleId}: {@code rule} is its body as accepted
 * ({@code {kind, when?, …}}, contract §6), {@code previousVersion} the version it replaces ({@code null} for a new
 * rule), {@code author} who published it and {@code reason} why (may be {@code null}). When: the event's time.
 */
public record RulePublished(String ruleId, int version, Integer previousVersion, String author, String reason,
                            Map<String, Object> rule) {

    public RulePublished {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(author, "author");
        rule = rule == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rule));
    }
}
