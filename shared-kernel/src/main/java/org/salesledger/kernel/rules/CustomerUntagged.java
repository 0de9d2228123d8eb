package org.salesledger.kernel.rules;

import java.util.Map;
import org.salesledger.kernel.value.CustomerId;

/** A TAG rule's condition turned false (or the rule was retired): the customer no longer carries {@code tag}. */
public record CustomerUntagged(
        CustomerId customerId,
        String tag,
        String ruleId,
        int ruleVersion,
        Map<String, Object> additional) implements RuleMade {

    public CustomerUntagged {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
