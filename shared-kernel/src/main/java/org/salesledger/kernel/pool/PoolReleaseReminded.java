package org.salesledger.kernel.pool;

import java.time.Instant;
import java.util.Map;
import org.salesledger.kernel.rules.RuleMade;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.RepId;

/**
 * A reminder to the owner, {@code remindBefore} (ISO 8601) before the POOL rule releases the customer: without a
 * follow-up by {@code ownerRepId} the customer goes to the public pool at {@code releaseAt}. The owner's last
 * follow-up was at {@code lastFollowUpAt}. Recorded once per release moment; a follow-up moves the release and so
 * earns a new reminder later.
 */
public record PoolReleaseReminded(
        CustomerId customerId,
        RepId ownerRepId,
        Instant releaseAt,
        Instant lastFollowUpAt,
        String remindBefore,
        String ruleId,
        int ruleVersion,
        Map<String, Object> additional) implements RuleMade {

    public PoolReleaseReminded {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
