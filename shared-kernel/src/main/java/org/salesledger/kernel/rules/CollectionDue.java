package org.salesledger.kernel.rules;

import java.time.Instant;
import java.util.Map;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.RepId;

/** Contract {@code contractId}, signed at {@code signedAt}, has no PaymentReceived within {@code after} (ISO 8601): on the collection list. */
public record CollectionDue(
        CustomerId customerId,
        String contractId,
        Money amount,
        Instant signedAt,
        String after,
        RepId ownerRepId,
        String ruleId,
        int ruleVersion,
        Map<String, Object> additional) implements RuleMade {

    public CollectionDue {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
