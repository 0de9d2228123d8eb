package org.salesledger.kernel.rules;

import java.time.Instant;
import java.util.Map;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.RepId;

/** The customer has sat in {@code stage} since {@code since} for longer than {@code after} (ISO 8601) with none of the clearing actions: escalated to {@code to} (a role or a user). */
public record EscalationRaised(
        CustomerId customerId,
        String stage,
        Instant since,
        String after,
        String to,
        RepId ownerRepId,
        String ruleId,
        int ruleVersion,
        Map<String, Object> additional) implements RuleMade {

    public EscalationRaised {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
