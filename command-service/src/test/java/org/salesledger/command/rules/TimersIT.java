package org.salesledger.command.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The time-driven rules against a real PostgreSQL with two nodes (two Spring contexts on one database, each with its
 * own deadline scheduler): ESCALATE, IDLE and COLLECTION deadlines fire after their durations (seconds here), once
 * each, are cancelled by the awaited action, re-planned when a rule changes, silent when it was retired, and fire
 * once after a restart between scheduling and firing. Envelope times are the wall clock's, as for a live team.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TimersIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    static TestPostgres.TestDatabase db;
    static ConfigurableApplicationContext node1;
    static ConfigurableApplicationContext node2;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        db = TestPostgres.newDatabase();
        node1 = node("timer-node-1");
        node2 = node("timer-node-2");
        jdbc = node1.getBean(JdbcTemplate.class);
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[]{node2, node1}) {
            if (node != null && node.isActive()) {
                node.close();
            }
        }
    }

    static ConfigurableApplicationContext node(String name) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.config.name", "command-service");
        properties.put("spring.datasource.url", db.jdbcUrl());
        properties.put("spring.datasource.username", db.user());
        properties.put("spring.datasource.password", db.password());
        properties.put("salesledger.command-port", 0);
        properties.put("salesledger.rules.refresh-interval", "PT0.2S");
        properties.put("salesledger.rules.timers.polling-interval", "PT0.2S");
        properties.put("salesledger.node-name", name);
        return new SpringApplicationBuilder(CommandServiceApplication.class, NodeName.class)
                .properties(properties)
                .registerShutdownHook(false)
                .run();
    }

    /** Test nodes share one JVM, so each names itself for its token claims. */
    static class NodeName {
        @Bean
        TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, TokenSchema tokenSchema,
                              org.springframework.core.env.Environment env) {
            return JdbcTokenStore.builder().connectionProvider(connectionProvider).schema(tokenSchema)
                    .serializer(serializer).nodeId(env.getProperty("salesledger.node-name")).build();
        }
    }

    // ---- ESCALATE ----

    @Test
    @Order(1)
    void givenProposalSent_whenNoReplyForTheDuration_thenEscalatesOnceAndAReplyCancelsIt() throws Exception {
        publish("no-reply", """
                {"kind": "ESCALATE", "stage": "PROPOSAL_SENT", "after": "PT2S", "to": "regional-director",
                 "unless": ["CustomerActionObserved"]}""");
        Instant start = now();
        register(node1, "esc-1", start);
        register(node2, "esc-2", start);
        proposal(node1, "esc-1", start);
        proposal(node2, "esc-2", start);
        action(node1, "esc-2-reply", "CustomerActionObserved", "esc-2", at(start.plusMillis(300)),
                "{\"kind\":\"MESSAGE_READ\",\"refActionId\":\"esc-2-p\"}", "rep-07");

        List<Made> escalations = await("esc-1", made -> has(made, "EscalationRaised", 1));
        Thread.sleep(2500); // two more deadline polls on both nodes: nothing more may come
        assertThat(types(ruleMade("esc-1"))).containsExactly("EscalationRaised");
        JsonNode raised = escalations.get(0).data();
        assertThat(raised.get("stage").asText()).isEqualTo("PROPOSAL_SENT");
        assertThat(raised.get("to").asText()).isEqualTo("regional-director");
        assertThat(raised.get("after").asText()).isEqualTo("PT2S");
        assertThat(raised.get("ownerRepId").asText()).isEqualTo("rep-07");
        assertThat(raised.get("ruleId").asText()).isEqualTo("no-reply");
        assertThat(raised.get("unless")).extracting(JsonNode::asText).containsExactly("CustomerActionObserved");
        assertThat(Instant.parse(raised.get("since").asText())).isEqualTo(start);
        Made made = escalations.get(0);
        assertThat(made.meta().get("actor").asText()).isEqualTo("system");
        assertThat(Instant.parse(made.meta().get("occurredAt").asText())).isAfterOrEqualTo(start.plusSeconds(2));
        assertThat(ruleMade("esc-2")).isEmpty();
    }

    // ---- IDLE ----

    @Test
    @Order(2)
    void givenNoActionForTheDuration_thenAFollowUpIsDueForTheOwner_andAnActionStartsTheWaitAgain() throws Exception {
        publish("idle", "{\"kind\": \"IDLE\", \"after\": \"PT3S\", \"to\": \"supervisor\"}");
        Instant start = now();
        register(node1, "idle-1", start);
        Instant touched = start.plusSeconds(1);
        Thread.sleep(1000);
        action(node2, "idle-1-t", "TouchpointRecorded", "idle-1", at(touched), "{\"channel\":\"wechat\"}", "rep-07");

        List<Made> due = await("idle-1", made -> has(made, "FollowUpDue", 1));

        JsonNode followUp = due.stream().filter(m -> m.type().equals("FollowUpDue")).findFirst().orElseThrow().data();
        assertThat(Instant.parse(followUp.get("lastActionAt").asText())).isEqualTo(touched);
        assertThat(followUp.get("ownerRepId").asText()).isEqualTo("rep-07");
        assertThat(followUp.get("copyTo").asText()).isEqualTo("supervisor");
        assertThat(count(ruleMade("idle-1"), "FollowUpDue")).isEqualTo(1);
        retire("idle");
        retire("no-reply");
    }

    // ---- COLLECTION ----

    @Test
    @Order(3)
    void givenAContractWithoutPayment_thenItIsOnTheCollectionList_andAPaidOneIsNot() throws Exception {
        publish("collect", "{\"kind\": \"COLLECTION\", \"after\": \"PT2S\"}");
        Instant start = now();
        register(node1, "col-1", start);
        action(node1, "col-1-k1", "ContractSigned", "col-1", at(start), contract("K-1"), "rep-07");
        action(node2, "col-1-k2", "ContractSigned", "col-1", at(start), contract("K-2"), "rep-07");
        action(node2, "col-1-p2", "PaymentReceived", "col-1", at(start.plusMillis(500)),
                "{\"contractId\":\"K-2\",\"amount\":{\"value\":\"100\",\"currency\":\"CNY\"}}", "rep-07");

        List<Made> due = await("col-1", made -> has(made, "CollectionDue", 1));
        Thread.sleep(2000);

        assertThat(types(ruleMade("col-1"))).containsExactly("CollectionDue");
        assertThat(due.get(0).data().get("contractId").asText()).isEqualTo("K-1");
        assertThat(due.get(0).data().get("amount").get("value").asText()).isEqualTo("100");
        retire("collect");
    }

    // ---- rule changes ----

    @Test
    @Order(4)
    void aRuleShortenedWhileADeadlineIsPendingIsReplannedAndActsUnderTheNewVersion() throws Exception {
        publish("idle-long", "{\"kind\": \"IDLE\", \"after\": \"PT1H\", \"to\": \"supervisor\"}");
        Instant start = now();
        register(node1, "replan-1", start);
        awaitTimer("replan-1");

        publish("idle-long", "{\"kind\": \"IDLE\", \"after\": \"PT2S\", \"to\": \"supervisor\"}");
        List<Made> due = await("replan-1", made -> has(made, "FollowUpDue", 1));

        assertThat(due.get(0).data().get("ruleVersion").asInt()).isEqualTo(2);
        assertThat(due.get(0).data().get("after").asText()).isEqualTo("PT2S");
    }

    @Test
    @Order(5)
    void aRuleRetiredWhileADeadlineIsPendingRecordsNothing() throws Exception {
        publish("retire-me", """
                {"kind": "ESCALATE", "stage": "FIRST_CONTACT", "after": "PT2S", "to": "supervisor"}""");
        retire("idle-long");
        Instant start = now();
        register(node1, "retired-1", start);
        awaitTimer("retired-1");

        retire("retire-me");
        Thread.sleep(4000); // past the old deadline and two polls

        assertThat(ruleMade("retired-1")).isEmpty();
    }

    // ---- restart ----

    @Test
    @Order(6)
    void aDeadlineScheduledBeforeARestartFiresOnceAfterIt() throws Exception {
        publish("restart", """
                {"kind": "ESCALATE", "stage": "NEEDS_CONFIRMED", "after": "PT3S", "to": "supervisor"}""");
        Instant start = now();
        register(node1, "restart-1", start);
        action(node1, "restart-1-n", "NeedsConfirmed", "restart-1", at(start), "{\"needs\":[\"CT\"]}", "rep-07");
        awaitTimer("restart-1");
        node2.close();
        node1.close();
        Thread.sleep(3500); // the deadline comes due while no node runs

        node1 = node("timer-node-1");
        node2 = node("timer-node-2");
        jdbc = node1.getBean(JdbcTemplate.class);
        await("restart-1", made -> has(made, "EscalationRaised", 1));
        Thread.sleep(2000);

        assertThat(types(ruleMade("restart-1"))).containsExactly("EscalationRaised");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rule_timer WHERE customer_id = 'restart-1'",
                Long.class)).isZero();
    }

    // ---- helpers ----

    record Made(String type, JsonNode data, JsonNode meta) {
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static String at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.ofHours(8)).toString();
    }

    static String contract(String id) {
        return "{\"contractId\":\"" + id + "\",\"amount\":{\"value\":\"100\",\"currency\":\"CNY\"}}";
    }

    static void register(ConfigurableApplicationContext node, String customer, Instant at) throws Exception {
        action(node, customer + "-0", "CustomerRegistered", customer, at(at),
                "{\"name\":\"" + customer + "\",\"region\":\"east\",\"ownerRepId\":\"rep-07\",\"channel\":\"web\"}",
                "rep-07");
    }

    static void proposal(ConfigurableApplicationContext node, String customer, Instant at) throws Exception {
        action(node, customer + "-p", "ProposalSent", customer, at(at),
                "{\"document\":{\"uri\":\"s3://p.pdf\",\"mediaType\":\"application/pdf\"},"
                        + "\"expectedDecisionDate\":\"2030-01-01\",\"keyParameters\":[\"a\",\"b\",\"c\"]}", "rep-07");
    }

    static void action(ConfigurableApplicationContext node, String id, String type, String customer, String time,
                       String data, String actor) throws Exception {
        Response response = TestHttp.post(uri(node, "/api/v1/actions"),
                TestHttp.envelope(id, type, customer, time, actor, data), "Content-Type", "application/json");
        assertThat(response.status()).as("%s %s", id, response).isEqualTo(202);
    }

    static void publish(String ruleId, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(node1, "/api/v1/rules/" + ruleId))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("X-Actor", "manager-1").build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    static void retire(String ruleId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(node2, "/api/v1/rules/" + ruleId)).DELETE()
                .header("X-Actor", "manager-1").build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    static URI uri(ConfigurableApplicationContext node, String path) {
        return URI.create("http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort() + path);
    }

    /** The customer's rule-made actions (actor "system"), in stored order. */
    static List<Made> ruleMade(String customer) {
        List<Made> all = jdbc.query("SELECT payload_type, convert_from(payload, 'UTF8'), "
                        + "convert_from(meta_data, 'UTF8') FROM domain_event_entry WHERE aggregate_identifier = ? "
                        + "ORDER BY sequence_number",
                (rs, row) -> {
                    try {
                        String type = rs.getString(1);
                        return new Made(type.substring(type.lastIndexOf('.') + 1), JSON.readTree(rs.getString(2)),
                                JSON.readTree(rs.getString(3)));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, customer);
        return all.stream().filter(e -> "system".equals(e.meta().path("actor").asText())).toList();
    }

    static List<String> types(List<Made> made) {
        return made.stream().map(Made::type).toList();
    }

    static long count(List<Made> made, String type) {
        return made.stream().filter(m -> m.type().equals(type)).count();
    }

    static boolean has(List<Made> made, String type, int n) {
        return count(made, type) >= n;
    }

    /** Waits until the customer's rule-made actions satisfy {@code done}; fails after a while. */
    static List<Made> await(String customer, Predicate<List<Made>> done) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<Made> made = ruleMade(customer);
        while (!done.test(made) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            made = ruleMade(customer);
        }
        assertThat(done.test(made)).as("rule-made actions of %s: %s", customer, types(made)).isTrue();
        return made;
    }

    /** Waits until the customer has a planned deadline. */
    static void awaitTimer(String customer) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Long n = jdbc.queryForObject("SELECT count(*) FROM rule_timer WHERE customer_id = ?", Long.class, customer);
            if (n != null && n > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no deadline was planned for " + customer);
    }
}
