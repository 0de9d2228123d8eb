package org.salesledger.kernel.deal;

import java.util.Map;
import org.salesledger.kernel.value.ObjectionType;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.CustomerId;

/** The customer objected. A {@code PRICE} objection after a proposal enters stage {@code PRICE_OBJECTION}. */
public record ObjectionRaised(
        CustomerId customerId,
        ObjectionType objectionType,
        String detail,
        Map<String, Object> additional) implements CustomerAction {

    public ObjectionRaised {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
