package org.salesledger.kernel.marketing;

import java.util.Map;

import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.CustomerId;

/** The customer was touched by a marketing channel. */
public record TouchpointRecorded(
        CustomerId customerId,
        String channel,
        String touchType,
        String campaign,
        Map<String, Object> additional) implements CustomerAction {

    public TouchpointRecorded {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
