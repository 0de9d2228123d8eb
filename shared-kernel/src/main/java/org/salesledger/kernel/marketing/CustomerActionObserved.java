package org.salesledger.kernel.marketing;

import java.util.Map;

import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.CustomerId;

/** The customer acted on a sales action (read a message, opened an email, accepted a meeting). */
public record CustomerActionObserved(
        CustomerId customerId,
        String kind,
        String refActionId,
        Map<String, Object> additional) implements CustomerAction {

    public CustomerActionObserved {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
