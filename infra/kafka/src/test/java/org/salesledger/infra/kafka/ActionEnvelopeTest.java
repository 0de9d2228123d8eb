package org.salesledger.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Money;

class ActionEnvelopeTest {

    static final Instant STORED = Instant.parse("2025-03-01T01:30:00.250Z");

    @Test
    void anActionBecomesTheEnvelopeOfContractSectionOneWithItsMetadata() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("crmRef", "K-99");
        extra.put("wechat", Map.of("openId", "o-1"));
        ContractSigned signed = new ContractSigned(CustomerId.of("c-1"), "K-1",
                new Money(new BigDecimal("1200.50"), "CNY"), null, List.of("radiology"), extra);
        Map<String, String> metadata = Map.of(ActionMetadata.ACTION_ID, "a-1", ActionMetadata.SOURCE, "/crm",
                ActionMetadata.ACTOR, "rep-07", ActionMetadata.OCCURRED_AT, "2025-03-01T09:30:00+08:00",
                ActionMetadata.CLIENT_IP, "10.0.0.1", ActionMetadata.DEVICE_ID, "tablet-1");

        JsonNode envelope = ActionEnvelope.of(signed, metadata, "event-1", 4, STORED);

        assertThat(names(envelope)).containsExactly("specversion", "id", "source", "type", "subject", "time", "actor",
                "recordedat", "customersequence", "data");
        assertThat(envelope.get("specversion").asText()).isEqualTo("1.0");
        assertThat(envelope.get("id").asText()).isEqualTo("a-1");
        assertThat(envelope.get("source").asText()).isEqualTo("/crm");
        assertThat(envelope.get("type").asText()).isEqualTo("ContractSigned");
        assertThat(envelope.get("subject").asText()).isEqualTo("c-1");
        assertThat(envelope.get("time").asText()).isEqualTo("2025-03-01T09:30:00+08:00");
        assertThat(envelope.get("actor").asText()).isEqualTo("rep-07");
        assertThat(envelope.get("recordedat").asText()).isEqualTo("2025-03-01T01:30:00.250Z");
        assertThat(envelope.get("customersequence").asLong()).isEqualTo(4);
        assertThat(envelope.get("data").toString()).isEqualTo("{\"contractId\":\"K-1\",\"amount\":{\"value\":1200.50,"
                + "\"currency\":\"CNY\"},\"departments\":[\"radiology\"],\"crmRef\":\"K-99\",\"wechat\":{\"openId\":\"o-1\"}}");
        assertThat(envelope.get("data").get("crmRef").asText()).isEqualTo("K-99");
        assertThat(envelope.get("data").get("amount").get("value").toString()).isEqualTo("1200.50");
        assertThat(envelope.get("data").has("lines")).isFalse();
    }

    @Test
    void theSendersAddressAndDeviceAreNotPublished() {
        DealLost lost = new DealLost(CustomerId.of("c-1"), "budget", Map.of());
        Map<String, String> metadata = Map.of(ActionMetadata.ACTION_ID, "a-2", ActionMetadata.CLIENT_IP, "10.0.0.1",
                ActionMetadata.DEVICE_ID, "tablet-1");

        String json = new String(ActionEnvelope.bytes(ActionEnvelope.of(lost, metadata, "e", 0, STORED)),
                java.nio.charset.StandardCharsets.UTF_8);

        assertThat(json).doesNotContain("10.0.0.1").doesNotContain("tablet-1");
    }

    @Test
    void anEventTheLedgerMadeItselfStillGetsAValidEnvelope() {
        DealLost lost = new DealLost(CustomerId.of("c-1"), "no follow-up", Map.of());

        JsonNode envelope = ActionEnvelope.of(lost, Map.of(), "event-7", 2, STORED);

        assertThat(envelope.get("id").asText()).isEqualTo("event-7");
        assertThat(envelope.get("source").asText()).isEqualTo("/salesledger");
        assertThat(envelope.get("actor").asText()).isEqualTo("system");
        assertThat(envelope.get("time").asText()).isEqualTo("2025-03-01T01:30:00.250Z");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
