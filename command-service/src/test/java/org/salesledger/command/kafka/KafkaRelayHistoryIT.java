package org.salesledger.command.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.command.kafka.TopicReader.Received;
import org.salesledger.infra.kafka.relay.KafkaRelay;
import org.salesledger.testing.RuleDeadlines;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestKafka;
import org.salesledger.testing.TestPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The relay's first start on a ledger that already holds history (Axon 4.9+ would start a new processor with a
 * replay token, and a publisher that skips replays would then publish nothing of it): it publishes everything
 * already stored, as a regular run; a restart continues where it stopped, publishing nothing twice. "Nothing" is
 * read from the whole topic once the relay's token is past every stored event (or no relay ran), not after a wait.
 */
class KafkaRelayHistoryIT {

    static final String TOPIC = "history-it-" + UUID.randomUUID();
    static final int CUSTOMERS = 10;
    static final int TOUCHES = 30;

    final TestPostgres.TestDatabase db = TestPostgres.newDatabase();

    @Test
    void theFirstStartPublishesTheWholeHistoryAndARestartPublishesNothingTwice() throws Exception {
        List<String> history = new ArrayList<>();
        try (ConfigurableApplicationContext withoutRelay = start(false)) {
            StringBuilder lines = new StringBuilder();
            for (int c = 0; c < CUSTOMERS; c++) {
                String customer = "hist-" + c;
                lines.append(TestHttp.envelope(customer + "-r", "CustomerRegistered", customer,
                        "2025-03-01T09:00:00+08:00", "rep-1", "{\"name\":\"N\",\"region\":\"east\","
                                + "\"ownerRepId\":\"rep-1\",\"channel\":\"web\"}")).append('\n');
                history.add(customer + "-r");
                for (int t = 0; t < TOUCHES; t++) {
                    lines.append(TestHttp.envelope(customer + "-t" + t, "TouchpointRecorded", customer,
                            "2025-03-02T09:00:00+08:00", "rep-1", "{\"channel\":\"wechat\"}")).append('\n');
                    history.add(customer + "-t" + t);
                }
            }
            assertThat(TestHttp.post(url(withoutRelay, "/api/v1/import"), lines.toString()).json()
                    .get("accepted").asLong()).isEqualTo(history.size());
        }
        // the process is closed (its producers, had it any, flushed): whatever it published is in the topic now
        assertThat(TopicReader.readToEnd(TestKafka.bootstrapServers(), TOPIC, Duration.ofSeconds(60)))
                .as("nothing is published while no process runs the relay").isEmpty();

        List<Received> afterFirstStart;
        boolean replaying;
        try (ConfigurableApplicationContext relay = start(true)) {
            afterFirstStart = TopicReader.readUntilAll(TestKafka.bootstrapServers(), TOPIC, history,
                    Duration.ofSeconds(120));
            StreamingEventProcessor processor = relay.getBean(EventProcessingConfiguration.class)
                    .eventProcessor("kafka-relay", StreamingEventProcessor.class).orElseThrow();
            replaying = processor.processingStatus().values().stream().anyMatch(s -> s.isReplaying());
        }
        try (ConfigurableApplicationContext relay = start(true)) {
            assertThat(TestHttp.post(url(relay, "/api/v1/actions"), TestHttp.envelope("hist-0-late",
                    "TouchpointRecorded", "hist-0", "2025-03-03T09:00:00+08:00", "rep-1",
                    "{\"channel\":\"wechat\"}")).status()).isEqualTo(202);
            // the relay moves its token only past what Kafka acknowledged: once every segment is past every
            // customer's events, all that this run publishes is in the topic
            for (int c = 0; c < CUSTOMERS; c++) {
                RuleDeadlines.awaitPast(db, KafkaRelay.PROCESSING_GROUP, "hist-" + c);
            }
        }
        List<Received> afterRestart = TopicReader.readToEnd(TestKafka.bootstrapServers(), TOPIC,
                Duration.ofSeconds(120));

        assertThat(TopicReader.ids(afterFirstStart)).containsAll(history);
        assertThat(replaying).as("the relay ran as a regular run, not a replay").isFalse();
        Map<String, Long> copies = afterRestart.stream().collect(Collectors.groupingBy(Received::id,
                Collectors.counting()));
        assertThat(copies).hasSize(history.size() + 1);
        assertThat(copies.values()).as("each action published once").containsOnly(1L);
        Map<String, List<String>> arrived = TopicReader.firstArrivalsByCustomer(afterRestart);
        for (int c = 0; c < CUSTOMERS; c++) {
            String customer = "hist-" + c;
            List<String> expected = history.stream().filter(id -> id.startsWith(customer + "-")).collect(
                    Collectors.toCollection(ArrayList::new));
            if (c == 0) {
                expected.add("hist-0-late");
            }
            assertThat(arrived.get(customer)).containsExactlyElementsOf(expected);
        }
    }

    private ConfigurableApplicationContext start(boolean relay) {
        Map<String, Object> properties = new HashMap<>(Map.of("spring.config.name", "command-service",
                "spring.datasource.url", db.jdbcUrl(), "spring.datasource.username", db.user(),
                "spring.datasource.password", db.password(), "salesledger.kafka.bootstrap",
                TestKafka.bootstrapServers(), "salesledger.kafka.topic", TOPIC));
        properties.put("salesledger.admin-client-secret", org.salesledger.testing.TestHttp.ADMIN_SECRET);
        // arguments, not default properties: command-service.yml sets the port and turns the relay on
        return org.salesledger.command.TestNodes.signedIn(new SpringApplicationBuilder(CommandServiceApplication.class).properties(properties)
                .run("--server.port=0", "--salesledger.kafka.relay.enabled=" + relay));
    }

    private static URI url(ConfigurableApplicationContext context, String path) {
        return URI.create("http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort()
                + path);
    }
}
