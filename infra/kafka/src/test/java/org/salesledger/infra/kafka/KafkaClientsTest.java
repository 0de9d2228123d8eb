package org.salesledger.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * The producer settings every customer's order rests on. A failed producer is discarded and its batch sent again by a
 * new one; that keeps each customer's order for a consumer dropping repeats by id only if what the failed producer
 * wrote of a partition is a prefix of what it was given.
 */
class KafkaClientsTest {

    private final KafkaClients clients = new KafkaClients(new KafkaSettings("localhost:9092", "t", 6, (short) -1,
            2_097_152, Map.of("security.protocol", "PLAINTEXT"),
            new KafkaSettings.Relay(true, 500, 4, Duration.ofSeconds(30)),
            new KafkaSettings.Replay(2000, Duration.ofSeconds(5))));

    @Test
    void aLaterBatchOfAPartitionIsNeverInFlightBeforeAnEarlierOneIsAcknowledged() {
        Properties props = clients.producerProperties("p");

        assertThat(props.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)).isEqualTo("1");
    }

    @Test
    void aRetriedSendIsWrittenOnceAndTheProducerNeverDropsARecordOnItsOwn() {
        Properties props = clients.producerProperties("p");

        assertThat(props.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isEqualTo("true");
        assertThat(props.get(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
        assertThat(props.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).isEqualTo(Integer.toString(Integer.MAX_VALUE));
    }

    @Test
    void theSettingsOwnClientPropertiesArePassedOn() {
        assertThat(clients.producerProperties("p").get("security.protocol")).isEqualTo("PLAINTEXT");
        assertThat(clients.producerProperties("p").get(ProducerConfig.CLIENT_ID_CONFIG)).isEqualTo("p");
    }
}
