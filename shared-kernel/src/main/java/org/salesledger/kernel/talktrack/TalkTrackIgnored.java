package org.salesledger.kernel.talktrack;

import java.util.Map;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.rules.RuleMade;
import org.salesledger.kernel.value.RepId;

/** The rule's suggestions to this customer's rep went unused {@code unusedInARow} times in a row: an alert to {@code to} (the supervisor unless the rule names someone). */
public record TalkTrackIgnored(
        CustomerId customerId,
        String to,
        RepId ownerRepId,
        int unusedInARow,
        String lastSuggestionId,
        String ruleId,
        int ruleVersion,
        Map<String, Object> additional) implements RuleMade {

    public TalkTrackIgnored {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
