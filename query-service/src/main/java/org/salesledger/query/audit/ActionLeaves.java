package org.salesledger.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.salesledger.audit.canonical.CanonicalJson;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.leaf.ActionLeaf;
import org.salesledger.infra.kafka.ActionEnvelope;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.envelope.StoredTimes;

/**
 * What a stored event is in the audit log (contract §9, ADR 0031): for a customer action, the leaf of
 * {@link ActionLeaf} over the envelope the Kafka relay publishes for it ({@link ActionEnvelope#of}, built from the
 * same stored payload, metadata, sequence number and time), with {@code recordedAt} the stored {@code time_stamp}
 * and {@code recordedBy} the metadata's; other events (the rulebook's, the organisation's) are no leaf.
 *
 * <p>Every customer action gets a leaf, so that the appender can never stop on one:
 * <ul>
 *   <li>a number canonical JSON would have to change (not I-JSON: an integer or decimal a double cannot hold
 *       exactly, which free-form {@code data} may carry, ADR 0023) is written in the leaf as a JSON string of its
 *       digits, as the envelope has them;</li>
 *   <li>an event that cannot be read as an envelope at all (its payload no longer deserialises, or a string canonical
 *       JSON cannot write, such as a lone surrogate) gets a leaf over what is stored:
 *       {@code {"unreadable": {eventIdentifier, payloadType, payloadSha256, metaDataSha256}, recordedAt,
 *       recordedBy: null}}, so that changing its stored bytes still changes the tree.</li>
 * </ul>
 */
final class ActionLeaves {

    private final Serializer serializer;
    private final Set<String> actionPayloadTypes;

    ActionLeaves(Serializer serializer) {
        this.serializer = serializer;
        this.actionPayloadTypes = ActionTypes.names().stream()
                .map(name -> ActionTypes.byName(name).orElseThrow().getName()).collect(Collectors.toUnmodifiableSet());
    }

    /** The stored payload types that are customer actions (the rest are no leaves). */
    Set<String> actionPayloadTypes() {
        return actionPayloadTypes;
    }

    boolean isAction(StoredEvent event) {
        return actionPayloadTypes.contains(event.payloadType());
    }

    /** A customer action's leaf: its action id (the envelope's {@code id}) and leaf hash. */
    record Leaf(String actionId, Hash hash) {
    }

    /**
     * What a customer action's leaf is made of, as an export carries it: {@link ActionLeaf#hash} of
     * {@code envelope}, {@code recordedAt} and {@code recordedBy} is the leaf hash (for an unreadable event, the
     * {@code envelope} is the {@code {"unreadable": …}} object and {@code recordedBy} null).
     */
    record Content(String actionId, ObjectNode envelope, Instant recordedAt, String recordedBy) {

        Hash hash() {
            return ActionLeaf.hash(envelope, recordedAt, recordedBy);
        }
    }

    /** The leaf of a stored customer action ({@link #isAction}). */
    Leaf leaf(StoredEvent event) {
        Content content = content(event);
        return new Leaf(content.actionId(), content.hash());
    }

    /** What the leaf of a stored customer action ({@link #isAction}) is made of; its hash is the leaf's. */
    Content content(StoredEvent event) {
        Instant recordedAt = StoredTimes.instant(event.timeStamp());
        ObjectNode envelope;
        String recordedBy;
        try {
            CustomerAction action = serializer.deserialize(new SimpleSerializedObject<>(event.payload(), byte[].class,
                    event.payloadType(), event.payloadRevision()));
            MetaData metadata = event.metaData() == null ? MetaData.emptyInstance()
                    : serializer.deserialize(new SimpleSerializedObject<>(event.metaData(), byte[].class,
                    MetaData.class.getName(), null));
            envelope = ActionEnvelope.of(action, metadata, event.eventIdentifier(), event.sequenceNumber(),
                    recordedAt);
            Object by = metadata.get(ActionMetadata.RECORDED_BY);
            recordedBy = by == null ? null : by.toString();
        } catch (RuntimeException unreadable) {
            return unreadable(event, recordedAt, event.eventIdentifier());
        }
        String actionId = envelope.get("id").asText();
        try {
            ActionLeaf.bytes(envelope, recordedAt, recordedBy);
            return new Content(actionId, envelope, recordedAt, recordedBy);
        } catch (IllegalArgumentException notCanonical) {
            numbersAsText(envelope);
            try {
                ActionLeaf.bytes(envelope, recordedAt, recordedBy);
                return new Content(actionId, envelope, recordedAt, recordedBy);
            } catch (IllegalArgumentException stillNot) {
                // e.g. a lone surrogate in a string: nothing canonical JSON can write; the stored bytes then
                return unreadable(event, recordedAt, actionId);
            }
        }
    }

    private Content unreadable(StoredEvent event, Instant recordedAt, String actionId) {
        ObjectNode leaf = JsonNodeFactory.instance.objectNode();
        ObjectNode what = leaf.putObject("unreadable");
        what.put("eventIdentifier", event.eventIdentifier());
        what.put("payloadType", event.payloadType());
        what.put("payloadSha256", sha256(event.payload()));
        what.put("metaDataSha256", sha256(event.metaData()));
        return new Content(actionId, leaf, recordedAt, null);
    }

    /** Replaces every number canonical JSON refuses by a string of its digits, in place. */
    static void numbersAsText(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                if (member.getValue().isNumber() && !canonical(member.getValue())) {
                    member.setValue(JsonNodeFactory.instance.textNode(member.getValue().asText()));
                } else {
                    numbersAsText(member.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isNumber() && !canonical(array.get(i))) {
                    array.set(i, JsonNodeFactory.instance.textNode(array.get(i).asText()));
                } else {
                    numbersAsText(array.get(i));
                }
            }
        }
    }

    private static boolean canonical(JsonNode number) {
        try {
            CanonicalJson.bytes(number);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes == null ? new byte[0]
                    : bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
