package org.salesledger.kernel.rules;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.salesledger.kernel.value.CustomerId;

/**
 * The first matching class of the CLASSIFY rule changed: the customer is now of {@code class} ({@code null} when
 * no class matches any more), having been of {@code previousClass} ({@code null} when it had none).
 */
public record CustomerClassified(
        CustomerId customerId,
        @JsonProperty("class") String customerClass,
        String previousClass,
        String ruleId,
        int ruleVersion,
        Map<String, Object> additional) implements RuleMade {

    public CustomerClassified {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
