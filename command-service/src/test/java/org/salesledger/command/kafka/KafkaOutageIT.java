package org.salesledger.command.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.command.kafka.TopicReader.Received;
import org.salesledger.infra.embedded.EmbeddedKafkaServer;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A real broker of the test's own is stopped while actions keep coming in, and started again on the same port and
 * data: the command side accepts every action throughout, the relay reports the outage without taking the service
 * down, and once the broker is back every action arrives, each customer's in stored order (repeats allowed).
 */
class KafkaOutageIT {

    static final String TOPIC = "outage-it";
    static final List<String> CUSTOMERS = List.of("out-1", "out-2", "out-3", "out-4", "out-5");
    static final int ACTIONS_PER_CUSTOMER_AND_ROUND = 20;

    @TempDir
    Path brokerDir;

    @Test
    void aBrokerStoppedAndStartedAgainMidLoadLosesNothingAndKeepsEachCustomersOrder() throws Exception {
        EmbeddedKafkaServer broker = EmbeddedKafkaServer.start(brokerDir, 0);
        String bootstrap = broker.bootstrapServers();
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        ConfigurableApplicationContext commandSide = org.salesledger.command.TestNodes.signedIn(new SpringApplicationBuilder(CommandServiceApplication.class)
                .properties(Map.of("spring.config.name", "command-service", "salesledger.admin-client-secret", org.salesledger.testing.TestHttp.ADMIN_SECRET,
                        "spring.datasource.url", db.jdbcUrl(), "spring.datasource.username", db.user(),
                        "spring.datasource.password", db.password(), "salesledger.kafka.bootstrap", bootstrap,
                        "salesledger.kafka.topic", TOPIC, "salesledger.kafka.relay.batch-size", 20,
                        "salesledger.kafka.relay.ack-timeout", "3s"))
                .run("--server.port=0")); // an argument: command-service.yml's port wins over default properties
        try {
            int port = ((WebServerApplicationContext) commandSide).getWebServer().getPort();
            for (String customer : CUSTOMERS) {
                assertThat(post(port, TestHttp.envelope(customer + "-r", "CustomerRegistered", customer,
                        "2025-03-01T09:00:00+08:00", "rep-1", "{\"name\":\"N\",\"region\":\"east\","
                                + "\"ownerRepId\":\"rep-1\",\"channel\":\"web\"}")).status()).isEqualTo(202);
            }
            assertThat(record(port, "before")).containsOnly(202);
            TopicReader.readUntilAll(bootstrap, TOPIC, List.of(CUSTOMERS.get(0) + "-before-0"), Duration.ofSeconds(60));

            broker.close();
            List<Integer> duringOutage = record(port, "during");
            JsonNode degraded = TestHttp.eventually(url(port, "/actuator/health/kafka"),
                    r -> r.json().path("status").asText().equals("DEGRADED"), Duration.ofSeconds(60)).json();
            JsonNode serviceDuringOutage = TestHttp.get(url(port, "/actuator/health")).json();
            long lagDuringOutage = degraded.path("components").path("kafkaRelay").path("details")
                    .path("lagEvents").asLong();

            broker = EmbeddedKafkaServer.start(brokerDir, 0);
            List<Integer> afterwards = record(port, "after");
            Map<String, List<String>> stored = storedOrder(commandSide.getBean(JdbcTemplate.class));
            List<Received> received = TopicReader.readUntilAll(bootstrap, TOPIC,
                    stored.values().stream().flatMap(List::stream).toList(), Duration.ofSeconds(180));
            JsonNode recovered = TestHttp.eventually(url(port, "/actuator/health/kafka"),
                    r -> r.json().path("status").asText().equals("UP"), Duration.ofSeconds(60)).json();

            assertThat(duringOutage).as("actions are accepted while Kafka is away").containsOnly(202);
            assertThat(afterwards).containsOnly(202);
            assertThat(serviceDuringOutage.get("status").asText()).isEqualTo("UP");
            assertThat(degraded.path("components").path("kafkaRelay").path("details").path("lastError").asText())
                    .isNotBlank();
            assertThat(lagDuringOutage).isPositive();
            assertThat(TopicReader.ids(received)).containsAll(stored.values().stream().flatMap(List::stream).toList());
            Map<String, List<String>> arrived = TopicReader.firstArrivalsByCustomer(received);
            for (String customer : CUSTOMERS) {
                assertThat(stored.get(customer)).hasSize(1 + 3 * ACTIONS_PER_CUSTOMER_AND_ROUND);
                assertThat(arrived.get(customer)).as("order of %s", customer)
                        .containsExactlyElementsOf(stored.get(customer));
            }
            assertThat(recovered.path("status").asText()).isEqualTo("UP");
            System.out.printf("outage test: %d actions stored, %d records received (%d repeats)%n",
                    stored.values().stream().mapToInt(List::size).sum(), received.size(),
                    received.size() - TopicReader.ids(received).size());
        } finally {
            commandSide.close();
            broker.close();
        }
    }

    /** One round: each customer gets its next actions, the customers written concurrently; the HTTP statuses. */
    private static List<Integer> record(int port, String round) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CUSTOMERS.size());
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (String customer : CUSTOMERS) {
                results.add(pool.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < ACTIONS_PER_CUSTOMER_AND_ROUND; i++) {
                        statuses.add(post(port, TestHttp.envelope(customer + "-" + round + "-" + i,
                                "TouchpointRecorded", customer, "2025-03-02T09:00:00+08:00", "rep-1",
                                "{\"channel\":\"wechat\"}")).status());
                    }
                    return statuses;
                }));
            }
            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> result : results) {
                all.addAll(result.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, List<String>> storedOrder(JdbcTemplate jdbc) {
        Map<String, List<String>> stored = new LinkedHashMap<>();
        for (String customer : CUSTOMERS) {
            stored.put(customer, jdbc.queryForList("SELECT convert_from(meta_data, 'UTF8')::jsonb ->> 'actionId' "
                    + "FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number", String.class,
                    customer));
        }
        return stored;
    }

    private static Response post(int port, String body) throws Exception {
        return TestHttp.post(url(port, "/api/v1/actions"), body, "Content-Type", "application/json");
    }

    private static URI url(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
