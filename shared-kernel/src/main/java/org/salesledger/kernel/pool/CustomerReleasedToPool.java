package org.salesledger.kernel.pool;

import java.time.Instant;
import java.util.Map;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.rules.RuleMade;
import org.salesledger.kernel.value.RepId;

/** The owner did not follow the customer up for {@code after} (ISO 8601) since {@code lastFollowUpAt}: released to the public pool, free to be claimed. */
public record CustomerReleasedToPool(
        CustomerId customerId,
        RepId previousOwnerRepId,
        Instant lastFollowUpAt,
        String after,
        String ruleId,
        int ruleVersion,
        Map<String, Object> additional) implements RuleMade {

    public CustomerReleasedToPool {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
