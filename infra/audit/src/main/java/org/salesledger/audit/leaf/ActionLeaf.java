package org.salesledger.audit.leaf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import org.salesledger.audit.canonical.CanonicalJson;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.hash.MerkleHashes;

/**
 * What a stored action is as a leaf of the audit log (contract §9, ADR 0030): the RFC 8785 canonical JSON of its
 * envelope object with two more members, {@code recordedAt} (when the store took it, as an ISO-8601 instant in UTC,
 * {@link DateTimeFormatter#ISO_INSTANT}: {@code 2025-03-01T01:30:00.123Z}) and {@code recordedBy} (who sent it,
 * or {@code null} for actions stored before that was recorded).
 */
public final class ActionLeaf {

    private ActionLeaf() {
    }

    /** The leaf's bytes: the canonical JSON of the envelope with {@code recordedAt} and {@code recordedBy}. */
    public static byte[] bytes(JsonNode envelope, Instant recordedAt, String recordedBy) {
        Objects.requireNonNull(recordedAt, "recordedAt");
        if (envelope == null || !envelope.isObject()) {
            throw new IllegalArgumentException("an action's envelope is a JSON object, was "
                    + (envelope == null ? "null" : envelope.getNodeType()));
        }
        for (String member : new String[] {"recordedAt", "recordedBy"}) {
            if (envelope.has(member)) {
                throw new IllegalArgumentException("the envelope already has a member '" + member
                        + "', which the audit leaf adds");
            }
        }
        ObjectNode leaf = ((ObjectNode) envelope).deepCopy();
        leaf.put("recordedAt", DateTimeFormatter.ISO_INSTANT.format(recordedAt));
        if (recordedBy == null) {
            leaf.putNull("recordedBy");
        } else {
            leaf.put("recordedBy", recordedBy);
        }
        return CanonicalJson.bytes(leaf);
    }

    /** The leaf's hash, {@code SHA-256(0x00 ‖ bytes)}. */
    public static Hash hash(JsonNode envelope, Instant recordedAt, String recordedBy) {
        return MerkleHashes.leaf(bytes(envelope, recordedAt, recordedBy));
    }
}
