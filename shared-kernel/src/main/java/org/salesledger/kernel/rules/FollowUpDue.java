package org.salesledger.kernel.rules;

import java.time.Instant;
import java.util.Map;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.RepId;

/** No action on the customer since {@code lastActionAt} for {@code after} (ISO 8601): a to-do for the owner, copied to {@code copyTo}. */
public record FollowUpDue(
        CustomerId customerId,
        RepId ownerRepId,
        String copyTo,
        Instant lastActionAt,
        String after,
        String ruleId,
        int ruleVersion,
        Map<String, Object> additional) implements RuleMade {

    public FollowUpDue {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
