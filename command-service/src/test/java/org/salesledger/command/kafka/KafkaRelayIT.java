package org.salesledger.command.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.salesledger.command.kafka.TopicReader.Received;
import org.salesledger.command.testdata.Envelopes;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestKafka;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The relay against a real PostgreSQL and a real Kafka broker, checked by an independent consumer: every accepted
 * action arrives as the envelope it came in as, keyed by its customer, with the CloudEvents content type, and each
 * customer's actions arrive in the order they were stored.
 */
class KafkaRelayIT extends CommandSideWithKafka {

    static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventProcessingConfiguration processing;

    @Test
    void publishesEveryActionAsTheEnvelopeItCameInKeyedByCustomerWithTheCloudEventsContentType() throws Exception {
        List<ObjectNode> sent = new ArrayList<>();
        for (String type : Envelopes.TYPES) {
            if (type.equals("DealLost")) {
                continue; // a won customer cannot be lost: sent to a second customer below
            }
            ObjectNode envelope = (ObjectNode) json(Envelopes.valid(type).json());
            envelope.put("id", "env-" + type);
            envelope.put("subject", "cust-env");
            ((ObjectNode) envelope.get("data")).put("crmRef", "X-" + type);
            sent.add(envelope);
        }
        ObjectNode registerSecond = (ObjectNode) sent.get(0).deepCopy();
        registerSecond.put("id", "env-CustomerRegistered-2").put("subject", "cust-env-2");
        ObjectNode lost = (ObjectNode) json(Envelopes.valid("DealLost").json());
        lost.put("id", "env-DealLost").put("subject", "cust-env-2");
        sent.add(registerSecond);
        sent.add(lost);
        for (ObjectNode envelope : sent) {
            assertThat(post(envelope.toString()).status()).as(envelope.toString()).isEqualTo(202);
        }

        List<Received> received = TopicReader.readUntilAll(TestKafka.bootstrapServers(), LIVE,
                sent.stream().map(e -> e.get("id").asText()).toList(), WAIT);

        for (ObjectNode envelope : sent) {
            Received record = received.stream().filter(r -> r.id().equals(envelope.get("id").asText()))
                    .findFirst().orElseThrow(() -> new AssertionError("not published: " + envelope));
            assertThat(record.key()).isEqualTo(envelope.get("subject").asText());
            assertThat(record.contentType()).isEqualTo("application/cloudevents+json");
            ObjectNode published = (ObjectNode) record.value().deepCopy();
            assertThat(published.remove("recordedat").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(published.remove("customersequence").isIntegralNumber()).isTrue();
            assertThat(published).as("envelope of %s", envelope.get("type")).isEqualTo(normalised(envelope));
        }
        assertThat(TopicReader.firstArrivalsByCustomer(received).get("cust-env")).containsExactlyElementsOf(
                sent.stream().filter(e -> e.get("subject").asText().equals("cust-env"))
                        .map(e -> e.get("id").asText()).toList());
    }

    @Test
    void keepsEachCustomersStoredOrderWhileManyWritersRecordAtOnce() throws Exception {
        List<String> customers = List.of("ord-1", "ord-2", "ord-3", "ord-4", "ord-5", "ord-6");
        for (String customer : customers) {
            post(TestHttp.envelope(customer + "-r", "CustomerRegistered", customer, "2025-03-01T09:00:00+08:00",
                    "rep-1", "{\"name\":\"N\",\"region\":\"east\",\"ownerRepId\":\"rep-1\",\"channel\":\"web\"}"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            for (String customer : customers) {
                String id = customer + "-v" + i;
                answers.add(pool.submit(() -> post(TestHttp.envelope(id, "TouchpointRecorded", customer,
                        "2025-03-02T09:00:00+08:00", "rep-1", "{\"channel\":\"wechat\"}"))));
            }
        }
        for (Future<Response> answer : answers) {
            assertThat(answer.get().status()).isEqualTo(202);
        }
        pool.shutdown();
        Map<String, List<String>> stored = new java.util.LinkedHashMap<>();
        for (String customer : customers) {
            stored.put(customer, jdbc.queryForList("SELECT convert_from(meta_data, 'UTF8')::jsonb ->> 'actionId' "
                    + "FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number", String.class,
                    customer));
        }

        List<Received> received = TopicReader.readUntilAll(TestKafka.bootstrapServers(), LIVE,
                stored.values().stream().flatMap(List::stream).toList(), WAIT);

        Map<String, List<String>> arrived = TopicReader.firstArrivalsByCustomer(received);
        for (String customer : customers) {
            assertThat(stored.get(customer)).hasSize(41);
            assertThat(arrived.get(customer)).as("order of %s on Kafka", customer)
                    .containsExactlyElementsOf(stored.get(customer));
        }
        assertThat(received).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().get("subject").asText()));
    }

    @Test
    void theRelayIsARegularRunThatRefusesToBeResetSoItNeverRepublishesTheHistory() {
        StreamingEventProcessor relay = processing.eventProcessor("kafka-relay", StreamingEventProcessor.class)
                .orElseThrow();

        assertThat(relay.isRunning()).isTrue();
        assertThat(relay.processingStatus().values()).allSatisfy(s -> assertThat(s.isReplaying()).isFalse());
        assertThat(relay.supportsReset()).isFalse();
        assertThatThrownBy(relay::resetTokens).hasMessageContaining("reset");
    }

    @Test
    void theServiceStaysUpAndTheRelaysHealthShowsItsLag() throws Exception {
        post(TestHttp.envelope("health-1", "CustomerRegistered", "cust-health", "2025-03-01T09:00:00+08:00",
                "rep-1", "{\"name\":\"N\",\"region\":\"east\",\"ownerRepId\":\"rep-1\",\"channel\":\"web\"}"));
        TopicReader.readUntilAll(TestKafka.bootstrapServers(), LIVE, List.of("health-1"), WAIT);

        JsonNode service = TestHttp.get(url("/actuator/health")).json();
        JsonNode relay = TestHttp.eventually(url("/actuator/health/kafka"),
                r -> r.json().path("components").path("kafkaRelay").path("details").path("lagEvents").asLong(-1) == 0,
                WAIT).json();

        assertThat(service.get("status").asText()).isEqualTo("UP");
        JsonNode details = relay.path("components").path("kafkaRelay").path("details");
        assertThat(relay.get("status").asText()).isEqualTo("UP");
        assertThat(details.get("topic").asText()).isEqualTo(LIVE);
        assertThat(details.get("lagEvents").asLong()).isZero();
        assertThat(details.get("parkedEvents").asLong()).isZero();
        assertThat(details.get("lastPublishedAt").asText()).isNotBlank();
    }

    @Test
    void thePrometheusEndpointShowsPublishedCountLatencyLagAndErrors() throws Exception {
        post(TestHttp.envelope("metric-1", "CustomerRegistered", "cust-metric", "2025-03-01T09:00:00+08:00",
                "rep-1", "{\"name\":\"N\",\"region\":\"east\",\"ownerRepId\":\"rep-1\",\"channel\":\"web\"}"));
        TopicReader.readUntilAll(TestKafka.bootstrapServers(), LIVE, List.of("metric-1"), WAIT);

        String metrics = TestHttp.get(url("/actuator/prometheus")).body();

        assertThat(metrics).containsPattern("(?m)^salesledger_kafka_published_total(\\{[^}]*})? [1-9]");
        assertThat(metrics).containsPattern("(?m)^salesledger_kafka_publish_latency_seconds_bucket\\{.*le=\"");
        assertThat(metrics).containsPattern("(?m)^salesledger_kafka_publish_latency_seconds_count(\\{[^}]*})? [1-9]");
        assertThat(metrics).containsPattern("(?m)^salesledger_kafka_relay_lag_events(\\{[^}]*})? ");
        assertThat(metrics).containsPattern("(?m)^salesledger_kafka_relay_parked_events(\\{[^}]*})? ");
        assertThat(metrics).containsPattern("(?m)^salesledger_kafka_publish_errors_total\\{.*kind=\"broker\"");
        assertThat(metrics).containsPattern("(?m)^salesledger_kafka_publish_errors_total\\{.*kind=\"poison\"");
    }

    // ---- helpers ----

    /** The envelope as the relay publishes it: decimals given as strings come back as JSON numbers. */
    static JsonNode normalised(ObjectNode sent) {
        ObjectNode copy = sent.deepCopy();
        copy.get("data").findParents("value").forEach(parent -> {
            JsonNode value = parent.get("value");
            if (value.isTextual() && parent.has("currency")) {
                ((ObjectNode) parent).put("value", new java.math.BigDecimal(value.asText()));
            }
        });
        return copy;
    }

    static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES,
                            false)
                    .readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private Response post(String body) throws Exception {
        return TestHttp.post(url("/api/v1/actions"), body, "Content-Type", "application/json");
    }

}
