package org.salesledger.kernel.rules;

import java.util.Map;
import org.salesledger.kernel.value.CustomerId;

/** A TAG rule's condition turned true for the customer: it now carries {@code tag}. Recorded once per change. */
public record CustomerTagged(
        CustomerId customerId,
        String tag,
        String ruleId,
        int ruleVersion,
        Map<String, Object> additional) implements RuleMade {

    public CustomerTagged {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
