package org.salesledger.kernel.customer;

import java.util.Map;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.CustomerId;

/** A customer entered the ledger: its first contact. Enters stage {@code FIRST_CONTACT}. */
public record CustomerRegistered(
        CustomerId customerId,
        String name,
        String region,
        RepId ownerRepId,
        String channel,
        String team,
        String territory,
        String category,
        String company,
        String phone,
        Map<String, Object> additional) implements CustomerAction {

    public CustomerRegistered {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
