package org.salesledger.kernel.marketing;

import java.util.Map;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.CustomerId;

/** A cost was spent, tied to a channel directly or through the action it served. */
public record CostIncurred(
        CustomerId customerId,
        String category,
        Money amount,
        String channel,
        String refActionId,
        Map<String, Object> additional) implements CustomerAction {

    public CostIncurred {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
