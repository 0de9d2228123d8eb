package org.salesledger.command.intake;

import java.util.LinkedHashMap;
import java.util.Map;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.value.CustomerId;

/** An envelope that passed validation: its event and the metadata it will be stored with. */
public record IncomingAction(String id, CustomerId customerId, CustomerAction payload, Map<String, String> metadata,
                             Scope scope) {

    /** An action any caller could send: no scope to check. */
    public IncomingAction(String id, CustomerId customerId, CustomerAction payload, Map<String, String> metadata) {
        this(id, customerId, payload, metadata, Scope.ALL);
    }

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
        if (sender.recordedBy() != null) {
            metadata.put(ActionMetadata.RECORDED_BY, sender.recordedBy());
        }
        return new IncomingAction(id, payload.customerId(), payload, Map.copyOf(metadata), sender.scope());
    }

    /**
     * Who sent the action over HTTP: its IP address and, when given, its device id; the user of its token
     * ({@code recordedBy}); the user it must name as {@code actor} ({@code actsAs}, null when it may name anyone,
     * and then a missing actor is still refused); and the customers it may act on ({@code scope}).
     */
    public record Sender(String clientIp, String deviceId, String recordedBy, String actsAs, Scope scope) {
        public static final Sender NONE = new Sender(null, null);

        public Sender(String clientIp, String deviceId) {
            this(clientIp, deviceId, null, null, Scope.ALL);
        }
    }
}
