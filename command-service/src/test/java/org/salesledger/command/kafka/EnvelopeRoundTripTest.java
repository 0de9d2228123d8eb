package org.salesledger.command.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.salesledger.command.intake.EnvelopeReader;
import org.salesledger.command.intake.IncomingAction;
import org.salesledger.command.testdata.Envelopes;
import org.salesledger.infra.kafka.ActionEnvelope;

/**
 * An envelope read by the intake, stored as an event and published again is the envelope that came in — with the
 * two extension attributes added and decimals given as strings written as numbers (docs/integrators.md).
 */
class EnvelopeRoundTripTest {

    static final java.util.List<String> TYPES = Envelopes.TYPES;

    @ParameterizedTest
    @FieldSource("TYPES")
    void anEnvelopeComesOutAsItWentIn(String type) {
        ObjectNode sent = (ObjectNode) KafkaRelayIT.json(Envelopes.valid(type).json());
        ((ObjectNode) sent.get("data")).put("crmRef", "X-1");
        ((ObjectNode) sent.get("data")).putObject("wechat").put("openId", "o-1").putArray("tags").add("vip");

        JsonNode published = roundTrip(sent, 7, Instant.parse("2025-03-01T01:30:00.123Z"));

        ObjectNode withoutExtensions = (ObjectNode) published.deepCopy();
        assertThat(withoutExtensions.remove("recordedat").asText()).isEqualTo("2025-03-01T01:30:00.123Z");
        assertThat(withoutExtensions.remove("customersequence").asLong()).isEqualTo(7);
        assertThat(withoutExtensions).isEqualTo(KafkaRelayIT.normalised(sent));
    }

    @ParameterizedTest
    @FieldSource("TYPES")
    void aPublishedEnvelopeIsAcceptedByTheIntakeAsTheSameAction(String type) {
        ObjectNode sent = (ObjectNode) KafkaRelayIT.json(Envelopes.valid(type).json());
        IncomingAction first = EnvelopeReader.read(sent, IncomingAction.Sender.NONE).action();

        JsonNode published = roundTrip(sent, 0, Instant.parse("2025-03-01T01:30:00Z"));
        EnvelopeReader.Result again = EnvelopeReader.read(published, IncomingAction.Sender.NONE);

        assertThat(again.errors()).isEmpty();
        assertThat(again.action().id()).isEqualTo(first.id());
        assertThat(again.action().metadata()).isEqualTo(first.metadata());
        // the extension attributes are envelope attributes, not data: the action itself is unchanged
        assertThat(again.action().payload()).isEqualTo(first.payload());
    }

    private static JsonNode roundTrip(JsonNode sent, long sequence, Instant storedAt) {
        EnvelopeReader.Result read = EnvelopeReader.read(sent, IncomingAction.Sender.NONE);
        assertThat(read.errors()).isEmpty();
        IncomingAction action = read.action();
        return KafkaRelayIT.json(new String(ActionEnvelope.bytes(ActionEnvelope.of(action.payload(),
                action.metadata(), "event-1", sequence, storedAt)), java.nio.charset.StandardCharsets.UTF_8));
    }
}
