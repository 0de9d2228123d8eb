package org.salesledger.infra.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.envelope.ActionData;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.ActionTypes;

/**
 * The envelope of contract §1 rebuilt from a stored action: the same structured CloudEvent the import takes.
 *
 * <ul>
 *   <li>{@code id}, {@code source}, {@code actor}, {@code time} come from the event's metadata
 *       ({@link ActionMetadata}), {@code time} exactly as the sender wrote it, with its offset;</li>
 *   <li>{@code type} is the record's name, {@code subject} its customer id;</li>
 *   <li>{@code data} is rendered by {@link ActionData}: the named fields (absent ones left out, decimals as plain
 *       JSON numbers) and the sender's unknown fields, kept;</li>
 *   <li>two CloudEvents extension attributes are added: {@code recordedat}, when the ledger stored the action
 *       (RFC 3339, UTC), and {@code customersequence}, its position in the customer's history (0, 1, 2 … in
 *       stored order).</li>
 * </ul>
 *
 * An event the ledger made itself, without an envelope (no {@code actionId} in its metadata), gets the stored
 * event's own identifier as {@code id}, {@code source} {@value #SYSTEM_SOURCE}, {@code actor} {@value #SYSTEM_ACTOR}
 * and its stored time as {@code time}, so that it is still a valid envelope.
 */
public final class ActionEnvelope {

    /** The record header that tells a consumer the value is a structured CloudEvent in JSON. */
    public static final String CONTENT_TYPE_HEADER = "content-type";
    public static final String CONTENT_TYPE = "application/cloudevents+json";
    public static final String SPEC_VERSION = "1.0";
    public static final String RECORDED_AT = "recordedat";
    public static final String CUSTOMER_SEQUENCE = "customersequence";
    static final String SYSTEM_SOURCE = "/salesledger";
    static final String SYSTEM_ACTOR = "system";

    private ActionEnvelope() {
    }

    /**
     * The envelope of one stored action.
     *
     * @param action     the event's payload
     * @param metadata   the event's metadata
     * @param eventId    the stored event's own identifier (used as {@code id} only when the metadata has none)
     * @param sequence   the event's sequence number in its customer's history
     * @param recordedAt when the event was stored
     */
    public static ObjectNode of(CustomerAction action, Map<String, ?> metadata, String eventId, long sequence,
                                Instant recordedAt) {
        ObjectNode envelope = ActionData.mapper().createObjectNode();
        String recorded = recordedAt.toString();
        envelope.put("specversion", SPEC_VERSION);
        envelope.put("id", text(metadata, ActionMetadata.ACTION_ID, eventId));
        envelope.put("source", text(metadata, ActionMetadata.SOURCE, SYSTEM_SOURCE));
        envelope.put("type", ActionTypes.nameOf(action));
        envelope.put("subject", action.customerId().value());
        envelope.put("time", text(metadata, ActionMetadata.OCCURRED_AT, recorded));
        envelope.put("actor", text(metadata, ActionMetadata.ACTOR, SYSTEM_ACTOR));
        envelope.put(RECORDED_AT, recorded);
        envelope.put(CUSTOMER_SEQUENCE, sequence);
        envelope.set("data", ActionData.render(action));
        return envelope;
    }

    /** The envelope as UTF-8 JSON, the record value. */
    public static byte[] bytes(ObjectNode envelope) {
        try {
            return ActionData.mapper().writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an envelope could not be written as JSON: " + e.getMessage(), e);
        }
    }

    private static String text(Map<String, ?> metadata, String key, String fallback) {
        Object value = metadata.get(key);
        return value == null || value.toString().isBlank() ? fallback : value.toString();
    }
}
