package org.salesledger.audit.leaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An action as the bytes of its leaf. */
class ActionLeafTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode envelope() throws Exception {
        return JSON.readTree("""
                {"specversion":"1.0","id":"a-1","source":"/readme","type":"CustomerRegistered","subject":"c-1",
                 "time":"2025-03-01T09:30:00+08:00","actor":"rep-07",
                 "data":{"name":"Acme Medical","region":"east","ownerRepId":"rep-07","channel":"exhibition",
                         "amount":1250.50}}
                """);
    }

    @Test
    void isTheCanonicalEnvelopeWithRecordedAtAndRecordedBy() throws Exception {
        byte[] bytes = ActionLeaf.bytes(envelope(), Instant.parse("2025-03-01T01:30:00.120Z"), "rep-07");

        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"actor\":\"rep-07\",\"data\":{\"amount\":"
                + "1250.5,\"channel\":\"exhibition\",\"name\":\"Acme Medical\",\"ownerRepId\":\"rep-07\",\"region\":"
                + "\"east\"},\"id\":\"a-1\",\"recordedAt\":\"2025-03-01T01:30:00.120Z\",\"recordedBy\":\"rep-07\","
                + "\"source\":\"/readme\",\"specversion\":\"1.0\",\"subject\":\"c-1\",\"time\":"
                + "\"2025-03-01T09:30:00+08:00\",\"type\":\"CustomerRegistered\"}");
    }

    @Test
    void hashesThoseBytesAsAnRfc9162Leaf() throws Exception {
        Instant recordedAt = Instant.parse("2025-03-01T01:30:00Z");
        byte[] bytes = ActionLeaf.bytes(envelope(), recordedAt, null);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update((byte) 0);
        sha256.update(bytes);

        assertThat(ActionLeaf.hash(envelope(), recordedAt, null).bytes()).isEqualTo(sha256.digest());
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .contains("\"recordedAt\":\"2025-03-01T01:30:00Z\",\"recordedBy\":null");
    }

    @Test
    void doesNotChangeTheEnvelopeItIsGiven() throws Exception {
        JsonNode envelope = envelope();
        ActionLeaf.bytes(envelope, Instant.EPOCH, "u");
        assertThat(envelope.has("recordedAt")).isFalse();
    }

    @Test
    void refusesAnEnvelopeThatAlreadyHasTheAddedMembers() throws Exception {
        JsonNode envelope = JSON.readTree("{\"id\":\"a-1\",\"recordedBy\":\"someone\"}");
        assertThatThrownBy(() -> ActionLeaf.bytes(envelope, Instant.EPOCH, "u"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recordedBy");
        assertThatThrownBy(() -> ActionLeaf.bytes(JSON.readTree("[]"), Instant.EPOCH, "u"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ARRAY");
    }
}
