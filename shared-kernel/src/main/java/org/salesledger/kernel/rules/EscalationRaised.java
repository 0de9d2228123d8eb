package org.salesledger.kernel.rules;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.RepId;

/**
 * The customer has sat in {@code stage} since {@code since} for longer than {@code after} (ISO 8601) with none of the
 * clearing actions ({@code unless}, action types): escalated to {@code to} (a role or a user). It stays open until
 * one of those actions arrives or the customer leaves the stage.
 */
public record EscalationRaised(
        CustomerId customerId,
        String stage,
        Instant since,
        String after,
        String to,
        RepId ownerRepId,
        List<String> unless,
        String ruleId,
        int ruleVersion,
        Map<String, Object> additional) implements RuleMade {

    public EscalationRaised {
        java.util.Objects.requireNonNull(customerId, "customerId");
        unless = unless == null ? List.of() : List.copyOf(unless);
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
