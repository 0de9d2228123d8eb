package org.salesledger.command.intake;

import java.util.LinkedHashMap;
import java.util.Map;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.value.CustomerId;

/** An envelope that passed validation: its event and the metadata it will be stored with. */
public record IncomingAction(String id, CustomerId customerId, CustomerAction payload, Map<String, String> metadata) {

    public static IncomingAction of(String id, String source, String actor, String time,
                                    CustomerAction payload, Sender sender) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(ActionMetadata.ACTION_ID, id);
        metadata.put(ActionMetadata.SOURCE, source);
        metadata.put(ActionMetadata.ACTOR, actor);
        metadata.put(ActionMetadata.OCCURRED_AT, time);
        if (sender.clientIp() != null) {
            metadata.put(ActionMetadata.CLIENT_IP, sender.clientIp());
        }
        if (sender.deviceId() != null) {
            metadata.put(ActionMetadata.DEVICE_ID, sender.deviceId());
        }
        return new IncomingAction(id, payload.customerId(), payload, Map.copyOf(metadata));
    }

    /** Who sent the action over HTTP: its IP address and, when given, its device id. */
    public record Sender(String clientIp, String deviceId) {
        public static final Sender NONE = new Sender(null, null);
    }
}
