package org.salesledger.command.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.command.TestNodes;
import org.salesledger.infra.kafka.replay.KafkaReplays;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestKafka;
import org.salesledger.testing.TestPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Kafka replay is kept in PostgreSQL (ADR 0037): two command nodes on one database; a replay started on the first
 * is followed on the second, and when the first stops in the middle of it, the second takes it over once its
 * heartbeat is old and finishes it from its last acknowledged chunk — every action in the topic, each customer's in
 * stored order once repeats are dropped by id, and the counters those of one whole replay.
 */
class KafkaReplayTakeoverIT {

    private static final int CUSTOMERS = 400;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String LIVE = "takeover-live-" + UUID.randomUUID();

    private final String run = "rt" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aReplayWhoseNodeStopsIsFollowedFromAnotherNodeAndFinishedThere() throws Exception {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        ConfigurableApplicationContext node1 = node(db, "replay-node-1");
        ConfigurableApplicationContext node2 = null;
        try {
            node2 = node(db, "replay-node-2");
            List<String> ids = new ArrayList<>();
            StringBuilder ndjson = new StringBuilder();
            for (int i = 0; i < CUSTOMERS; i++) {
                String customer = run + "-c" + i;
                for (String line : journey(customer)) {
                    ndjson.append(line).append('\n');
                    ids.add(JSON_ID.apply(line));
                }
            }
            Response imported = TestHttp.post(url(node1, "/api/v1/import"), ndjson.toString(),
                    "Content-Type", "application/x-ndjson");
            assertThat(imported.json().get("accepted").asLong()).as(imported.toString()).isEqualTo(ids.size());
            String topic = "takeover-" + run;

            Response started = TestHttp.post(url(node1, "/api/v1/admin/kafka-replays"),
                    "{\"topic\":\"" + topic + "\"}", "Content-Type", "application/json");
            assertThat(started.status()).as(started.toString()).isEqualTo(202);
            String id = started.json().get("id").asText();

            // the other node answers the replay's status while the first one runs it
            JsonNode seenElsewhere = TestHttp.eventually(url(node2, "/api/v1/admin/kafka-replays/" + id),
                    r -> r.status() == 200 && r.json().path("eventsDone").asLong() > 0, WAIT).json();
            assertThat(seenElsewhere.get("state").asText()).isEqualTo("PUBLISHING");
            assertThat(seenElsewhere.get("topic").asText()).isEqualTo(topic);
            assertThat(seenElsewhere.get("message").asText()).contains("replay-node-1");

            // the first node stops in the middle of the replay (its replays first, then the rest of it)
            node1.getBean(KafkaReplays.class).close();
            node1.close();

            JsonNode done = TestHttp.eventually(url(node2, "/api/v1/admin/kafka-replays/" + id),
                    r -> r.status() == 200 && !r.json().path("state").asText().equals("PUBLISHING"), WAIT).json();
            assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("DONE");
            assertThat(done.get("eventsDone").asLong()).isEqualTo(done.get("eventsTotal").asLong());
            assertThat(done.get("published").asLong()).isEqualTo(ids.size());
            JdbcTemplate jdbc = node2.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForMap("SELECT node, takeovers FROM kafka_replay_job WHERE id = ?", id))
                    .containsEntry("node", "replay-node-2").containsEntry("takeovers", 1);

            List<TopicReader.Received> replayed = TopicReader.readUntilAll(TestKafka.bootstrapServers(), topic, ids,
                    WAIT);
            assertThat(TopicReader.ids(replayed)).containsExactlyInAnyOrderElementsOf(ids);
            Map<String, List<String>> order = TopicReader.firstArrivalsByCustomer(replayed);
            for (int i = 0; i < CUSTOMERS; i++) {
                String customer = run + "-c" + i;
                assertThat(order.get(customer)).containsExactly(customer + "-0", customer + "-1", customer + "-2");
            }
        } finally {
            for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] {node2, node1}) {
                if (node != null && node.isActive()) {
                    node.close();
                }
            }
        }
    }

    private static final java.util.function.Function<String, String> JSON_ID = line -> {
        int start = line.indexOf("\"id\":\"") + 6;
        return line.substring(start, line.indexOf('"', start));
    };

    private static List<String> journey(String customer) {
        return List.of(
                TestHttp.envelope(customer + "-0", "CustomerRegistered", customer, "2025-03-01T09:00:00+08:00",
                        "rep-07", "{\"name\":\"" + customer + "\",\"region\":\"east\",\"ownerRepId\":\"rep-07\","
                                + "\"channel\":\"exhibition\"}"),
                TestHttp.envelope(customer + "-1", "ProposalSent", customer, "2025-03-05T10:00:00+08:00", "rep-07",
                        "{\"document\":{\"uri\":\"s3://p/1.pdf\",\"mediaType\":\"application/pdf\"},"
                                + "\"expectedDecisionDate\":\"2025-04-01\",\"keyParameters\":[\"price\","
                                + "\"delivery\",\"warranty\"],\"amount\":{\"value\":\"1200.50\",\"currency\":\"CNY\"}}"),
                TestHttp.envelope(customer + "-2", "ContractSigned", customer, "2025-03-20T10:00:00+08:00", "rep-07",
                        "{\"contractId\":\"K-" + customer + "\",\"amount\":{\"value\":\"99000\","
                                + "\"currency\":\"CNY\"}}"));
    }

    private static URI url(ConfigurableApplicationContext node, String path) {
        return URI.create("http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort() + path);
    }

    /** A command node on {@code db}; the first replays one event per chunk, so that it is stopped in the middle. */
    private static ConfigurableApplicationContext node(TestPostgres.TestDatabase db, String name) {
        Map<String, Object> properties = TestNodes.properties(db);
        properties.put("salesledger.kafka.bootstrap", TestKafka.bootstrapServers());
        properties.put("salesledger.kafka.topic", LIVE);
        properties.put("salesledger.kafka.replay.chunk-size", name.endsWith("1") ? 1 : 100);
        properties.put("salesledger.kafka.replay.heartbeat-timeout", "2s");
        properties.put("salesledger.processing.node-name", name);
        return TestNodes.signedIn(new SpringApplicationBuilder(CommandServiceApplication.class)
                .properties(properties)
                .registerShutdownHook(false)
                .run());
    }
}
