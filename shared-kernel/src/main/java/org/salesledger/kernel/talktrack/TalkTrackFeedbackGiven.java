package org.salesledger.kernel.talktrack;

import java.util.Map;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.CustomerAction;

/** The rep answered a talk-track suggestion: script {@code scriptId} was {@code USED} or {@code NOT_APPLICABLE}. A client action. */
public record TalkTrackFeedbackGiven(
        CustomerId customerId,
        String suggestionId,
        String scriptId,
        TalkTrackFeedback feedback,
        Map<String, Object> additional) implements CustomerAction {

    public TalkTrackFeedbackGiven {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
