package org.salesledger.kernel.pool;

import java.util.Map;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.RepId;

/** The customer changed owner: reassigned by a supervisor ({@code via = SUPERVISOR}) or claimed from the public pool by a rep ({@code via = POOL_CLAIM}). Recorded by the system's own endpoints, never sent as an action. */
public record CustomerReassigned(
        CustomerId customerId,
        RepId fromRepId,
        RepId toRepId,
        String via,
        String reason,
        Map<String, Object> additional) implements CustomerAction {

    public CustomerReassigned {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
