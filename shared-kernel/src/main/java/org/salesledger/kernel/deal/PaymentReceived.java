package org.salesledger.kernel.deal;

import java.util.Map;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.CustomerId;

/** A payment against a signed contract arrived. */
public record PaymentReceived(
        CustomerId customerId,
        String contractId,
        Money amount,
        Map<String, Object> additional) implements CustomerAction {

    public PaymentReceived {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
