package org.salesledger.kernel.talktrack;

import java.util.List;
import java.util.Map;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.rules.RuleMade;

/** A logged visit matched a TALK_TRACK rule: these scripts are suggested to the rep. {@code suggestionId} is what feedback answers; {@code visitId} is the envelope id of the visit. */
public record TalkTracksSuggested(
        CustomerId customerId,
        String suggestionId,
        String visitId,
        List<String> scripts,
        String ruleId,
        int ruleVersion,
        Map<String, Object> additional) implements RuleMade {

    public TalkTracksSuggested {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
