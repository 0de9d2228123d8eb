package org.salesledger.kernel.message;

import java.util.Map;

import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.CustomerId;

/**
 * A rep sent the customer a message (contract §8): {@code channel} is how ({@code wechat}, {@code email},
 * {@code sms}, {@code paper}, {@code phone} or any other code, compared exactly); {@code templateId} the template it
 * was written from, {@code refActionId} the action it follows up on, {@code summary} what it said — all three
 * optional. It moves no lifecycle stage. The customer reading it is a {@code CustomerActionObserved} with
 * {@code kind: "message_read"} whose {@code refActionId} is this action's id.
 */
public record MessageSent(
        CustomerId customerId,
        String channel,
        String templateId,
        String refActionId,
        String summary,
        Map<String, Object> additional) implements CustomerAction {

    public MessageSent {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
