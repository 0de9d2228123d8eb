package org.salesledger.kernel.deal;

import java.util.Map;
import java.util.List;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.CustomerId;

/** The customer's needs were confirmed. Enters stage {@code NEEDS_CONFIRMED}. */
public record NeedsConfirmed(
        CustomerId customerId,
        List<String> needs,
        Map<String, Object> additional) implements CustomerAction {

    public NeedsConfirmed {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
