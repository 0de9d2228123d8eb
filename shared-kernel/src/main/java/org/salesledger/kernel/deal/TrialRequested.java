package org.salesledger.kernel.deal;

import java.util.Map;

import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.CustomerId;

/** The customer asked for a trial. Enters stage {@code TRIAL_REQUESTED}. */
public record TrialRequested(
        CustomerId customerId,
        String product,
        Map<String, Object> additional) implements CustomerAction {

    public TrialRequested {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
