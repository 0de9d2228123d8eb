package org.salesledger.kernel.deal;

import java.util.Map;

import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.CustomerId;

/** The deal was lost. Enters stage {@code LOST} from any open stage. */
public record DealLost(
        CustomerId customerId,
        String reason,
        Map<String, Object> additional) implements CustomerAction {

    public DealLost {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
