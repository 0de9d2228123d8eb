package org.salesledger.command.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.Scheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.testing.RuleDeadlines;
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
 * own deadline scheduler): ESCALATE, IDLE and COLLECTION deadlines fire after their durations, once each, are
 * cancelled by the awaited action, re-planned when a rule changes, silent when it was retired, and fire once after a
 * restart between scheduling and firing.
 *
 * <p>No test races the wall clock. Periods are measured from the actions' own {@code time}s, so an action dated in
 * the past is due as soon as it is planned; a wait that must still be pending when the next request lands is an hour
 * long. "Nothing more came" is asserted once the customer is settled ({@link RuleDeadlines#awaitSettled}: every sweep
 * done, the {@code timers} processor past the customer's events, no deadline due), never after a sleep. The nodes
 * are started once per class; each test has its own customers and rules, and retires its rules when done, so each
 * runs alone as well as in any order.
 */
class TimersIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static TestPostgres.TestDatabase db;
    static ConfigurableApplicationContext node1;
    static ConfigurableApplicationContext node2;
    static JdbcTemplate jdbc;

    /** This test's rules still active: retired after it. */
    private final Set<String> active = new LinkedHashSet<>();
    /** Set while a test keeps the nodes' deadline schedulers stopped: the nodes are restarted after it. */
    private boolean schedulersStopped;
    /** Makes this test's customer and rule ids its own. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() {
        db = TestPostgres.newDatabase();
        startNodes();
    }

    @AfterAll
    static void stop() {
        stopNodes();
    }

    @AfterEach
    void retireThisTestsRules() throws Exception {
        if (schedulersStopped || !node1.isActive() || !node2.isActive()) {
            stopNodes();
            startNodes();
        }
        for (String rule : List.copyOf(active)) {
            retire(rule);
        }
    }

    static void startNodes() {
        node1 = node("timer-node-1");
        node2 = node("timer-node-2");
        jdbc = node1.getBean(JdbcTemplate.class);
    }

    static void stopNodes() {
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[]{node2, node1}) {
            if (node != null && node.isActive()) {
                node.close();
            }
        }
    }

    static ConfigurableApplicationContext node(String name) {
        Map<String, Object> properties = org.salesledger.command.TestNodes.properties(db);
        properties.put("salesledger.rules.refresh-interval", "PT0.2S");
        properties.put("salesledger.rules.timers.polling-interval", "PT0.2S");
        properties.put("salesledger.node-name", name);
        return org.salesledger.command.TestNodes.signedIn(new SpringApplicationBuilder(CommandServiceApplication.class, NodeName.class)
                .properties(properties)
                .registerShutdownHook(false)
                .run());
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
    void givenProposalSent_whenNoReplyForTheDuration_thenEscalatesOnceAndAReplyCancelsIt() throws Exception {
        String rule = id("no-reply");
        publish(rule, """
                {"kind": "ESCALATE", "stage": "PROPOSAL_SENT", "after": "PT1H", "to": "regional-director",
                 "unless": ["CustomerActionObserved"]}""");
        Instant longAgo = now().minus(Duration.ofHours(2)); // its hour ran out an hour ago: due at once
        Instant justNow = now();                            // its hour runs out in an hour: pending meanwhile
        String late = id("esc-late");
        String answered = id("esc-answered");
        register(node1, late, longAgo);
        proposal(node1, late, longAgo);
        register(node2, answered, justNow);
        proposal(node2, answered, justNow);
        String pending = RuleDeadlines.awaitPlanned(db, answered);
        action(node1, answered + "-reply", "CustomerActionObserved", answered, at(justNow.plusMillis(300)),
                "{\"kind\":\"MESSAGE_READ\",\"refActionId\":\"" + answered + "-p\"}", "rep-07");

        List<Made> escalations = await(late, made -> has(made, "EscalationRaised", 1));
        RuleDeadlines.awaitSettled(db, late);
        RuleDeadlines.awaitSettled(db, answered);

        assertThat(types(ruleMade(late))).containsExactly("EscalationRaised");
        JsonNode raised = escalations.get(0).data();
        assertThat(raised.get("stage").asText()).isEqualTo("PROPOSAL_SENT");
        assertThat(raised.get("to").asText()).isEqualTo("regional-director");
        assertThat(raised.get("after").asText()).isEqualTo("PT1H");
        assertThat(raised.get("ownerRepId").asText()).isEqualTo("rep-07");
        assertThat(raised.get("ruleId").asText()).isEqualTo(rule);
        assertThat(raised.get("unless")).extracting(JsonNode::asText).containsExactly("CustomerActionObserved");
        assertThat(Instant.parse(raised.get("since").asText())).isEqualTo(longAgo);
        Made made = escalations.get(0);
        assertThat(made.meta().get("actor").asText()).isEqualTo("system");
        assertThat(Instant.parse(made.meta().get("occurredAt").asText())).isAfterOrEqualTo(longAgo.plusSeconds(3600));
        assertThat(ruleMade(answered)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rule_timer WHERE customer_id = ?", Long.class, answered))
                .as("the reply cancelled the pending deadline").isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE task_instance = ?", Long.class,
                pending)).as("the cancelled deadline's row").isZero();
    }

    // ---- IDLE ----

    @Test
    void givenNoActionForTheDuration_thenAFollowUpIsDueForTheOwner_andAnActionStartsTheWaitAgain() throws Exception {
        publish(id("idle"), "{\"kind\": \"IDLE\", \"after\": \"PT3S\", \"to\": \"supervisor\"}");
        String customer = id("idle-customer");
        Instant registered = now().minus(Duration.ofHours(1));
        register(node1, customer, registered);
        await(customer, made -> has(made, "FollowUpDue", 1));
        RuleDeadlines.awaitSettled(db, customer);
        assertThat(count(ruleMade(customer), "FollowUpDue")).as("one follow-up per latest action").isEqualTo(1);

        Instant touched = now();
        action(node2, customer + "-t", "TouchpointRecorded", customer, at(touched), "{\"channel\":\"wechat\"}",
                "rep-07");
        List<Made> due = await(customer, made -> has(made, "FollowUpDue", 2));
        RuleDeadlines.awaitSettled(db, customer);

        List<JsonNode> followUps = due.stream().filter(m -> m.type().equals("FollowUpDue")).map(Made::data).toList();
        assertThat(Instant.parse(followUps.get(0).get("lastActionAt").asText())).isEqualTo(registered);
        JsonNode followUp = followUps.get(1);
        assertThat(Instant.parse(followUp.get("lastActionAt").asText())).isEqualTo(touched);
        assertThat(followUp.get("ownerRepId").asText()).isEqualTo("rep-07");
        assertThat(followUp.get("copyTo").asText()).isEqualTo("supervisor");
        assertThat(count(ruleMade(customer), "FollowUpDue")).isEqualTo(2);
    }

    // ---- COLLECTION ----

    @Test
    void givenAContractWithoutPayment_thenItIsOnTheCollectionList_andAPaidOneIsNot() throws Exception {
        publish(id("collect"), "{\"kind\": \"COLLECTION\", \"after\": \"PT2S\"}");
        String customer = id("col");
        Instant start = now().minus(Duration.ofHours(1)); // both contracts' periods ran out long ago
        register(node1, customer, start);
        action(node1, customer + "-k1", "ContractSigned", customer, at(start), contract("K-1"), "rep-07");
        // K-2 and its payment arrive in one import (one transaction), so no deadline can come between them
        importActions(node2, TestHttp.envelope(customer + "-k2", "ContractSigned", customer, at(start), "rep-07",
                        contract("K-2")),
                TestHttp.envelope(customer + "-p2", "PaymentReceived", customer, at(start.plusMillis(500)), "rep-07",
                        "{\"contractId\":\"K-2\",\"amount\":{\"value\":\"100\",\"currency\":\"CNY\"}}"));

        List<Made> due = await(customer, made -> has(made, "CollectionDue", 1));
        RuleDeadlines.awaitSettled(db, customer);

        assertThat(types(ruleMade(customer))).containsExactly("CollectionDue");
        assertThat(due.get(0).data().get("contractId").asText()).isEqualTo("K-1");
        assertThat(due.get(0).data().get("amount").get("value").asText()).isEqualTo("100");
    }

    // ---- rule changes ----

    @Test
    void aRuleShortenedWhileADeadlineIsPendingIsReplannedAndActsUnderTheNewVersion() throws Exception {
        String rule = id("idle-long");
        publish(rule, "{\"kind\": \"IDLE\", \"after\": \"PT1H\", \"to\": \"supervisor\"}");
        String customer = id("replan");
        register(node1, customer, now().minus(Duration.ofMinutes(10))); // due in 50 minutes under version 1
        RuleDeadlines.awaitPlanned(db, customer);
        assertThat(ruleMade(customer)).isEmpty();

        publish(rule, "{\"kind\": \"IDLE\", \"after\": \"PT2S\", \"to\": \"supervisor\"}");
        List<Made> due = await(customer, made -> has(made, "FollowUpDue", 1));
        RuleDeadlines.awaitSettled(db, customer);

        assertThat(types(ruleMade(customer))).containsExactly("FollowUpDue");
        assertThat(due.get(0).data().get("ruleVersion").asInt()).isEqualTo(2);
        assertThat(due.get(0).data().get("after").asText()).isEqualTo("PT2S");
    }

    @Test
    void aRuleRetiredWhileADeadlineIsPendingRecordsNothing() throws Exception {
        String rule = id("retire-me");
        String customer = id("retired");
        register(node1, customer, now().minus(Duration.ofHours(1))); // in FIRST_CONTACT for an hour
        DataSource dataSource = node1.getBean(DataSource.class);
        String schedule;
        try (Connection customerLock = dataSource.getConnection()) {
            // Hold the customer's write lock (the one a firing deadline takes first): the deadline below is picked
            // by a scheduler and fires, but cannot record anything before the rule is retired.
            customerLock.setAutoCommit(false);
            try (PreparedStatement lock = customerLock.prepareStatement(
                    "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, customer);
                lock.executeQuery().close();
            }
            publish(rule, """
                    {"kind": "ESCALATE", "stage": "FIRST_CONTACT", "after": "PT2S", "to": "supervisor"}""");
            schedule = RuleDeadlines.awaitPlanned(db, customer);
            RuleDeadlines.awaitTrue("the deadline of " + customer + " picked by a scheduler", () ->
                    jdbc.queryForList("SELECT picked FROM scheduled_tasks WHERE task_instance = ?", Boolean.class,
                            schedule).contains(true) ? null : "not picked");

            retire(rule);
            customerLock.rollback(); // lets the deadline go on, under the retired rule
        }
        RuleDeadlines.awaitTrue("the deadline of " + customer + " done", () -> jdbc.queryForObject(
                "SELECT count(*) FROM scheduled_tasks WHERE task_instance = ?", Long.class, schedule) == 0
                ? null : "its row is still in scheduled_tasks");
        RuleDeadlines.awaitSettled(db, customer);

        assertThat(ruleMade(customer)).isEmpty();
    }

    // ---- restart ----

    @Test
    void aDeadlineScheduledBeforeARestartFiresOnceAfterIt() throws Exception {
        publish(id("restart"), """
                {"kind": "ESCALATE", "stage": "NEEDS_CONFIRMED", "after": "PT3S", "to": "supervisor"}""");
        // from here on no node fires a deadline until the nodes are restarted
        schedulersStopped = true;
        node1.getBean(Scheduler.class).stop();
        node2.getBean(Scheduler.class).stop();
        String customer = id("restart-customer");
        Instant start = now().minus(Duration.ofHours(1));
        register(node1, customer, start);
        action(node1, customer + "-n", "NeedsConfirmed", customer, at(start), "{\"needs\":[\"CT\"]}", "rep-07");
        String schedule = RuleDeadlines.awaitPlanned(db, customer);
        assertThat(jdbc.queryForObject("SELECT execution_time <= now() FROM scheduled_tasks WHERE task_instance = ?",
                Boolean.class, schedule)).as("the deadline is due before the restart").isTrue();
        assertThat(ruleMade(customer)).as("nothing fired before the restart").isEmpty();

        stopNodes();
        startNodes();
        schedulersStopped = false;
        await(customer, made -> has(made, "EscalationRaised", 1));
        RuleDeadlines.awaitSettled(db, customer);

        assertThat(types(ruleMade(customer))).containsExactly("EscalationRaised");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rule_timer WHERE customer_id = ?", Long.class, customer))
                .isZero();
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

    /** Publishes a time rule (active until retired, at the latest after this test) and waits for its sweep. */
    void publish(String ruleId, String body) throws Exception {
        HttpRequest request = org.salesledger.testing.TestHttp.request(uri(node1, "/api/v1/rules/" + ruleId))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("X-Actor", "manager-1").build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        active.add(ruleId);
        RuleDeadlines.awaitSwept(db);
    }

    /** Retires a time rule and waits for its sweep. */
    void retire(String ruleId) throws Exception {
        HttpRequest request = org.salesledger.testing.TestHttp.request(uri(node2, "/api/v1/rules/" + ruleId)).DELETE()
                .header("X-Actor", "manager-1").build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        active.remove(ruleId);
        RuleDeadlines.awaitSwept(db);
    }

    /** Stores the envelopes through one import: one customer's lines are stored in one transaction. */
    static void importActions(ConfigurableApplicationContext node, String... envelopes) throws Exception {
        Response response = TestHttp.post(uri(node, "/api/v1/import"), String.join("\n", envelopes) + "\n");
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.json().get("accepted").asLong()).as("%s", response).isEqualTo(envelopes.length);
    }

    /** An id of this test's own. */
    String id(String name) {
        return name + "-" + run;
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
        long deadline = System.nanoTime() + RuleDeadlines.PATIENCE.toNanos();
        List<Made> made = ruleMade(customer);
        while (!done.test(made) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            made = ruleMade(customer);
        }
        assertThat(done.test(made)).as("rule-made actions of %s: %s", customer, types(made)).isTrue();
        return made;
    }
}
