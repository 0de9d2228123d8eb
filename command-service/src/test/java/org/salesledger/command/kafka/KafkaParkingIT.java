package org.salesledger.command.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.command.kafka.TopicReader.Received;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestKafka;
import org.salesledger.testing.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A poison event — stored, but impossible to publish (here: a payload that cannot be read) — is reported and
 * parked with the same customer's later events behind it, so that customer's order holds, while every other
 * customer's actions go on being published. Once repaired, a retry publishes the parked events in order.
 */
@AutoConfigureObservability
@SpringBootTest(classes = CommandServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=command-service", TestHttp.ADMIN_SECRET_PROPERTY, "salesledger.kafka.relay.batch-size=20"})
class KafkaParkingIT {

    static final String TOPIC = "parking-it-" + UUID.randomUUID();
    static final Duration WAIT = Duration.ofSeconds(60);

    @LocalServerPort
    int port;

    @org.junit.jupiter.api.BeforeEach
    void signInAsAdmin() {
        TestHttp.signInAsAdmin(port);
    }

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
        registry.add("salesledger.kafka.bootstrap", TestKafka::bootstrapServers);
        registry.add("salesledger.kafka.topic", () -> TOPIC);
    }

    @Test
    void aPoisonEventIsParkedWithItsCustomersLaterEventsWhileEveryoneElseIsPublished() throws Exception {
        register("poison-c");
        register("steady-c");
        touch("donor", "steady-c");
        Map<String, Object> donor = jdbc.queryForMap("SELECT payload, payload_type, time_stamp FROM domain_event_entry "
                + "WHERE aggregate_identifier = 'steady-c' AND sequence_number = 1");
        String donorPayload = new String((byte[]) donor.get("payload"), StandardCharsets.UTF_8);
        String poisonEvent = UUID.randomUUID().toString();
        insert(poisonEvent, "poison-1", "{\"customerId\":\"poison-c\",\"channel\":", donor, 1);
        insert(UUID.randomUUID().toString(), "poison-later", donorPayload.replace("steady-c", "poison-c"), donor, 2);
        for (int i = 0; i < 30; i++) {
            touch("steady-" + i, "steady-c");
        }

        List<Received> received = TopicReader.readUntilAll(TestKafka.bootstrapServers(), TOPIC,
                List.of("steady-29", "poison-c-r"), WAIT);
        JsonNode relay = TestHttp.eventually(url("/api/v1/admin/kafka-relay"),
                r -> r.json().path("lagEvents").asLong(-1) == 0 && r.json().path("parkedEvents").asLong() == 2,
                WAIT).json();
        JsonNode health = TestHttp.get(url("/actuator/health/kafka")).json();
        String metrics = TestHttp.get(url("/actuator/prometheus")).body();
        JsonNode retryWhilePoisoned = TestHttp.post(url("/api/v1/admin/kafka-relay/parked/retry"), "").json();

        assertThat(TopicReader.ids(received)).contains("steady-0", "steady-29", "donor", "poison-c-r")
                .doesNotContain("poison-1", "poison-later");
        assertThat(relay.get("parkedEvents").asLong()).isEqualTo(2);
        JsonNode parked = relay.get("parked").get(0);
        assertThat(parked.get("customerId").asText()).isEqualTo("poison-c");
        assertThat(parked.get("eventIdentifier").asText()).isEqualTo(poisonEvent);
        assertThat(parked.get("waitingBehindIt").asLong()).isEqualTo(1);
        assertThat(parked.get("cause").asText()).isNotBlank();
        assertThat(health.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(TestHttp.get(url("/actuator/health")).json().get("status").asText()).isEqualTo("UP");
        assertThat(metrics).containsPattern("(?m)^salesledger_kafka_publish_errors_total\\{.*kind=\"poison\".*} [1-9]");
        assertThat(metrics).containsPattern("(?m)^salesledger_kafka_relay_parked_events(\\{[^}]*})? 2\\.0");
        assertThat(retryWhilePoisoned.get("customersReleased").asInt()).isZero();
        assertThat(retryWhilePoisoned.get("parkedEvents").asLong()).isEqualTo(2);

        // an operator repairs the stored payload; the retry publishes the customer's parked events in order
        jdbc.update("UPDATE dead_letter_entry SET payload = ? WHERE event_identifier = ?",
                donorPayload.replace("steady-c", "poison-c").getBytes(StandardCharsets.UTF_8), poisonEvent);
        JsonNode retried = TestHttp.post(url("/api/v1/admin/kafka-relay/parked/retry"), "").json();
        List<Received> afterRetry = TopicReader.readUntilAll(TestKafka.bootstrapServers(), TOPIC,
                List.of("poison-1", "poison-later"), WAIT);

        assertThat(retried.get("customersReleased").asInt()).isEqualTo(1);
        assertThat(retried.get("parkedEvents").asLong()).isZero();
        assertThat(TopicReader.firstArrivalsByCustomer(afterRetry).get("poison-c"))
                .containsExactly("poison-c-r", "poison-1", "poison-later");
        assertThat(TestHttp.eventually(url("/actuator/health/kafka"),
                r -> r.json().path("status").asText().equals("UP"), WAIT).json().get("status").asText())
                .isEqualTo("UP");
    }

    private void insert(String eventId, String actionId, String payload, Map<String, Object> like, long sequence) {
        jdbc.update("INSERT INTO domain_event_entry (event_identifier, meta_data, payload, payload_type, time_stamp, "
                        + "aggregate_identifier, sequence_number, type) VALUES (?, ?, ?, ?, ?, 'poison-c', ?, 'Customer')",
                eventId, ("{\"actionId\":\"" + actionId + "\",\"source\":\"/test\",\"actor\":\"rep-1\","
                        + "\"occurredAt\":\"2025-03-02T09:00:00+08:00\"}").getBytes(StandardCharsets.UTF_8),
                payload.getBytes(StandardCharsets.UTF_8), like.get("payload_type"), like.get("time_stamp"), sequence);
    }

    private void register(String customer) throws Exception {
        post(TestHttp.envelope(customer + "-r", "CustomerRegistered", customer, "2025-03-01T09:00:00+08:00",
                "rep-1", "{\"name\":\"N\",\"region\":\"east\",\"ownerRepId\":\"rep-1\",\"channel\":\"web\"}"));
    }

    private void touch(String id, String customer) throws Exception {
        post(TestHttp.envelope(id, "TouchpointRecorded", customer, "2025-03-02T09:00:00+08:00", "rep-1",
                "{\"channel\":\"wechat\"}"));
    }

    private void post(String body) throws Exception {
        assertThat(TestHttp.post(url("/api/v1/actions"), body, "Content-Type", "application/json").status())
                .as(body).isEqualTo(202);
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
