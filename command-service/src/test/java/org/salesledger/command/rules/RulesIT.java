package org.salesledger.command.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
 * The rules on the command side against a real PostgreSQL, with two nodes (two Spring contexts on one database,
 * each its own evaluator): the HTTP API of contract §6, the brief's rules acting on actions sent to either node,
 * each rule-made action recorded once — also across a restart and while a rule changes. The brief's rules and
 * scripts are published once for the class; each test sends customers of its own, and a test that publishes a rule of
 * its own retires it before it ends.
 */
class RulesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The tag rule that {@code aRuleChangedWhileActionsFlow…} publishes, changes and retires. */
    private static final String HARD = "hard-bargaining";

    static final String BARGAINING = """
            {"kind": "TAG", "tag": "high-bargaining", "description": ">= 2 price objections in 30 days",
             "when": "events.filter(e, e.type == 'ObjectionRaised' && e.data.objectionType == 'PRICE' && now - e.time <= duration('720h')).size() >= 2"}""";
    static final String CLASSES = """
            {"kind": "CLASSIFY", "classes": [
              {"class": "A", "when": "events.filter(e, e.type == 'CustomerActionObserved' && e.data.kind == 'INQUIRY').size() >= 3 && events.exists(e, e.type == 'NeedsConfirmed' && has(e.data.budget))"},
              {"class": "B", "when": "customer.channel == 'exhibition' || events.exists(e, e.type == 'TouchpointRecorded' && e.data.channel == 'exhibition')"},
              {"class": "C", "when": "true"}]}""";
    static final String CERTIFICATE_TALK = """
            {"kind": "TALK_TRACK", "scripts": ["cert-1", "cert-2", "cert-3"], "alertAfterUnused": 2,
             "when": "visit.data.contactRole == 'equipment' && has(visit.data.objections) && 'REGISTRATION_CERTIFICATE' in visit.data.objections"}""";

    /** Segments of the rules processor on these nodes (the default is 1; several nodes run more). */
    static final int SEGMENTS = 8;
    static final String SEGMENTS_PROPERTY = "salesledger.processing.segments";

    static TestPostgres.TestDatabase db;
    static ConfigurableApplicationContext node1;
    static ConfigurableApplicationContext node2;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        // several segments, as several nodes of a side run them (ADR 0037, 0043): evaluated in parallel batches; a
        // system property, since the builder's properties are defaults that the side's file overrides
        System.setProperty(SEGMENTS_PROPERTY, String.valueOf(SEGMENTS));
        db = TestPostgres.newDatabase();
        node1 = node("node-1");
        node2 = node("node-2");
        jdbc = node1.getBean(JdbcTemplate.class);
        publishTheBriefsRules();
    }

    /** The brief's three rules, published to either node, and the three scripts of the talk-track rule. */
    static void publishTheBriefsRules() throws Exception {
        for (String script : List.of("cert-1", "cert-2", "cert-3")) {
            assertThat(post(node1, "/api/v1/talk-tracks", "{\"id\":\"" + script + "\",\"title\":\"Certificate "
                    + script + "\",\"text\":\"Our registration certificate covers…\"}", "trainer-1").status())
                    .isEqualTo(201);
        }
        assertThat(put(node1, "/api/v1/rules/high-bargaining", BARGAINING, "manager-1", "brief").status()).isEqualTo(200);
        assertThat(put(node2, "/api/v1/rules/classes", CLASSES, "manager-1", "brief").status()).isEqualTo(200);
        assertThat(put(node1, "/api/v1/rules/certificate-talk", CERTIFICATE_TALK, "manager-1", "brief").status())
                .isEqualTo(200);
        awaitActiveRules(3);
    }

    @AfterAll
    static void stop() {
        try {
            for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[]{node2, node1}) {
                if (node != null && node.isActive()) {
                    node.close();
                }
            }
        } finally {
            System.clearProperty(SEGMENTS_PROPERTY);
        }
    }

    /** A command-side node of its own name (its token claims are its own, as on another machine). */
    static ConfigurableApplicationContext node(String name) {
        Map<String, Object> properties = org.salesledger.command.TestNodes.properties(db);
        properties.put("salesledger.rules.refresh-interval", "PT0.2S");
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

    // ---- the HTTP API ----

    @Test
    void managersPublishReplaceAndRetireRulesOverHttpAndSeeTheirHistory() throws Exception {
        Response v1 = put(node1, "/api/v1/rules/idle-week", "{\"kind\":\"IDLE\",\"after\":\"P7D\",\"to\":\"supervisor\"}",
                "manager-1", "freeze warning");
        Response same = put(node2, "/api/v1/rules/idle-week", "{\"kind\":\"IDLE\",\"after\":\"P7D\",\"to\":\"supervisor\"}",
                "manager-1", null);
        Response v2 = put(node2, "/api/v1/rules/idle-week", "{\"kind\":\"IDLE\",\"after\":\"PT5S\",\"to\":\"supervisor\"}",
                "manager-2", "for the demo");
        JsonNode current = get(node1, "/api/v1/rules/idle-week").json();
        JsonNode history = get(node1, "/api/v1/rules/idle-week?history=true").json();
        Response retired = delete(node1, "/api/v1/rules/idle-week", "manager-3", "not needed");
        Response again = delete(node2, "/api/v1/rules/idle-week", "manager-3", null);
        Response unknown = delete(node1, "/api/v1/rules/never-was", "manager-3", null);
        JsonNode listed = get(node1, "/api/v1/rules").json();
        JsonNode listedHistory = get(node1, "/api/v1/rules?history=true").json();

        assertThat(v1.status()).isEqualTo(200);
        assertThat(v1.json().get("version").asInt()).isEqualTo(1);
        assertThat(v1.json().has("previousVersion")).isFalse();
        assertThat(same.json().get("version").asInt()).isEqualTo(1);
        assertThat(same.json().get("changed").asBoolean()).isFalse();
        assertThat(v2.json().get("version").asInt()).isEqualTo(2);
        assertThat(v2.json().get("previousVersion").asInt()).isEqualTo(1);
        assertThat(current.get("version").asInt()).isEqualTo(2);
        assertThat(current.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(current.get("author").asText()).isEqualTo("manager-2");
        assertThat(current.get("reason").asText()).isEqualTo("for the demo");
        assertThat(current.get("rule").get("after").asText()).isEqualTo("PT5S");
        assertThat(current.get("at").asText()).isNotBlank();
        assertThat(history.get("versions")).extracting(v -> v.get("status").asText())
                .containsExactly("SUPERSEDED", "ACTIVE");
        assertThat(retired.status()).isEqualTo(200);
        assertThat(retired.json().get("version").asInt()).isEqualTo(3);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("message").asText()).contains("already retired");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(listed.get("rules")).noneMatch(r -> r.get("ruleId").asText().equals("idle-week"));
        assertThat(listedHistory.get("rules")).filteredOn(r -> r.get("ruleId").asText().equals("idle-week"))
                .extracting(r -> r.get("status").asText()).containsExactly("SUPERSEDED", "SUPERSEDED", "RETIRED");
        assertThat(get(node2, "/api/v1/rules/idle-week").json().get("status").asText()).isEqualTo("RETIRED");
    }

    @Test
    void aBadRuleIsRefusedWithThePositionOfItsErrorAndNothingIsStored() throws Exception {
        long before = rulebookEvents();

        Response syntax = put(node1, "/api/v1/rules/broken", """
                {"kind": "TAG", "tag": "x", "when": "events.exists(e, e.type == 'VisitLogged' &&)"}""", "m", null);
        Response notBoolean = put(node1, "/api/v1/rules/broken", """
                {"kind": "TAG", "tag": "x", "when": "customer.region"}""", "m", null);
        // without X-Actor the caller is the author (contract §7); a name no user can have is refused
        Response noActor = put(node1, "/api/v1/rules/broken", "{\"kind\":\"IDLE\",\"after\":\"P7D\"}", "m".repeat(256),
                null);
        Response badId = put(node1, "/api/v1/rules/bad%20id", "{\"kind\":\"IDLE\",\"after\":\"P7D\"}", "m", null);
        Response unknownScript = put(node1, "/api/v1/rules/broken", CERTIFICATE_TALK.replace("cert-", "never-"), "m",
                null);

        assertThat(syntax.status()).isEqualTo(400);
        JsonNode error = syntax.json().get("errors").get(0);
        assertThat(error.get("field").asText()).isEqualTo("when");
        assertThat(error.get("line").asInt()).isEqualTo(1);
        assertThat(error.get("column").asInt()).isEqualTo(44);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(notBoolean.status()).isEqualTo(400);
        assertThat(notBoolean.json().get("errors").get(0).get("message").asText()).contains("bool");
        assertThat(noActor.status()).isEqualTo(400);
        assertThat(noActor.json().get("errors").get(0).get("field").asText()).isEqualTo("X-Actor");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(unknownScript.status()).isEqualTo(400);
        assertThat(unknownScript.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactly("scripts[0]", "scripts[1]", "scripts[2]");
        assertThat(rulebookEvents()).isEqualTo(before);
    }

    // ---- the event-driven rules ----

    @Test
    void theBriefsRulesTagClassifyAndSuggestOnceEachWhateverNodeTheActionsReach() throws Exception {
        List<String> customers = List.of("bargain-1", "bargain-2", "bargain-3", "bargain-4");
        bargainOver(customers);

        for (String c : customers) {
            assertThat(ruleMade(c)).extracting(RuleMadeEvent::type)
                    .as("rule-made actions of %s", c)
                    .containsExactly("CustomerClassified", "CustomerTagged", "CustomerClassified");
            RuleMadeEvent tagged = ruleMade(c).get(1);
            assertThat(tagged.data().get("tag").asText()).isEqualTo("high-bargaining");
            assertThat(tagged.data().get("ruleVersion").asInt()).isEqualTo(1);
            assertThat(tagged.meta().get("actor").asText()).isEqualTo("system");
            assertThat(tagged.meta().get("causedBy").asText()).isEqualTo(c + "-2");
            assertThat(tagged.meta().get("occurredAt").asText()).isEqualTo("2025-03-05T09:00:00+08:00");
            assertThat(ruleMade(c).get(2).data().get("class").asText()).isEqualTo("B");
            assertThat(ruleMade(c).get(2).data().get("previousClass").asText()).isEqualTo("C");
        }
    }

    @Test
    void talkTracksAreSuggestedAtMatchingVisitsAndTheSupervisorIsAlertedAfterTwoUnused() throws Exception {
        String c = "talker";
        action(node1, "t-0", "CustomerRegistered", c, "2025-04-01T09:00:00+08:00",
                "{\"name\":\"T\",\"region\":\"west\",\"ownerRepId\":\"rep-09\",\"channel\":\"web\"}");
        action(node2, "t-1", "VisitLogged", c, "2025-04-02T09:00:00+08:00", visit("equipment"));
        action(node1, "t-2", "VisitLogged", c, "2025-04-03T09:00:00+08:00", visit("finance"));
        action(node2, "t-3", "VisitLogged", c, "2025-04-04T09:00:00+08:00", visit("equipment"));
        awaitEvaluated();
        String second = ruleMade(c).stream().filter(e -> e.type().equals("TalkTracksSuggested")).toList().get(1)
                .meta().get("actionId").asText();
        Response used = action(node1, "t-4", "TalkTrackFeedbackGiven", c, "2025-04-04T10:00:00+08:00",
                "{\"suggestionId\":\"" + second + "\",\"scriptId\":\"cert-2\",\"feedback\":\"USED\"}");
        Response unknown = action(node1, "t-4b", "TalkTrackFeedbackGiven", c, "2025-04-04T10:00:00+08:00",
                "{\"suggestionId\":\"rule-nope\",\"scriptId\":\"cert-2\",\"feedback\":\"USED\"}");
        action(node2, "t-5", "VisitLogged", c, "2025-04-05T09:00:00+08:00", visit("equipment"));
        action(node1, "t-6", "VisitLogged", c, "2025-04-06T09:00:00+08:00", visit("equipment"));
        action(node2, "t-7", "VisitLogged", c, "2025-04-07T09:00:00+08:00", visit("equipment"));
        awaitEvaluated();

        assertThat(used.status()).isEqualTo(202);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(ruleMade(c)).extracting(RuleMadeEvent::type).containsExactly(
                "CustomerClassified",                          // class C, at the registration
                "TalkTracksSuggested",                         // t-1 (t-2 met finance: no match)
                "TalkTracksSuggested",                         // t-3: t-1's went unused (1)
                "TalkTracksSuggested",                         // t-5: t-3's was used (0)
                "TalkTracksSuggested",                         // t-6: t-5's unused (1)
                "TalkTracksSuggested", "TalkTrackIgnored");    // t-7: t-6's unused (2): the supervisor is alerted
        RuleMadeEvent alert = ruleMade(c).get(6);
        assertThat(alert.data().get("to").asText()).isEqualTo("supervisor");
        assertThat(alert.data().get("ownerRepId").asText()).isEqualTo("rep-09");
        assertThat(alert.data().get("unusedInARow").asInt()).isEqualTo(2);
        assertThat(alert.meta().get("causedBy").asText()).isEqualTo("t-7");
    }

    @Test
    void afterARestartNothingIsEvaluatedTwiceAndEvaluationGoesOnWhereItStopped() throws Exception {
        bargainOver(List.of("restarted-1"));
        List<RuleMadeEvent> before = ruleMade("restarted-1");
        assertThat(before).extracting(RuleMadeEvent::type)
                .containsExactly("CustomerClassified", "CustomerTagged", "CustomerClassified");
        node2.close();
        node1.close();
        node1 = node("node-1");
        jdbc = node1.getBean(JdbcTemplate.class);
        try {
            action(node1, "restarted-1-5", "ObjectionRaised", "restarted-1", "2025-03-08T09:00:00+08:00",
                    "{\"objectionType\":\"PRICE\"}");
            action(node1, "late-0", "CustomerRegistered", "late", "2025-03-08T09:00:00+08:00",
                    "{\"name\":\"L\",\"region\":\"east\",\"ownerRepId\":\"rep-07\",\"channel\":\"exhibition\"}");
            awaitEvaluated();

            assertThat(ruleMade("restarted-1")).isEqualTo(before);
            assertThat(ruleMade("late")).extracting(e -> e.data().path("class").asText()).containsExactly("B");
        } finally {
            // the second node back for the other tests
            node2 = node("node-2");
        }
    }

    @Test
    void aRuleChangedWhileActionsFlowActsWithOneVersionAtATimeAndRecordsEachChangeOnce() throws Exception {
        // a rule of this test's own, like the brief's bargaining rule, so that the brief's stays as it is
        String hard = BARGAINING.replace("high-bargaining", HARD);
        String stricter = hard.replace(".size() >= 2", ".size() >= 4");
        assertThat(put(node1, "/api/v1/rules/" + HARD, hard, "manager-1", "the changing one").json().get("version")
                .asInt()).isEqualTo(1);
        awaitActiveRules(4);
        try {
            bargainOver(List.of("changed-2", "changed-3", "changed-4"));
            changeTheRuleWhileActionsFlow(stricter);
        } finally {
            assertThat(delete(node1, "/api/v1/rules/" + HARD, "manager-1", "done").status()).isEqualTo(200);
            awaitActiveRules(3);
        }
    }

    private static void changeTheRuleWhileActionsFlow(String stricter) throws Exception {
        for (String c : List.of("changed-2", "changed-3", "changed-4")) {
            assertThat(tagEvents(c)).extracting(RuleMadeEvent::type).as("tagged under version 1: %s", c)
                    .containsExactly("CustomerTagged");
        }
        action(node1, "changed-2-9", "ObjectionRaised", "changed-2", "2025-03-09T08:00:00+08:00",
                "{\"objectionType\":\"PRICE\"}");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        Future<Response> published = pool.submit(() -> put(node1, "/api/v1/rules/" + HARD, stricter,
                "manager-1", "only the hardest"));
        List<Future<?>> sent = new ArrayList<>();
        for (String c : List.of("changed-2", "changed-3", "changed-4")) {
            sent.add(pool.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    action(node1, c + "-t" + i, "TouchpointRecorded", c, "2025-03-09T09:0" + i + ":00+08:00",
                            "{\"channel\":\"wechat\"}");
                }
                return null;
            }));
        }
        assertThat(published.get().json().get("version").asInt()).isEqualTo(2);
        for (Future<?> f : sent) {
            f.get();
        }
        for (String c : List.of("changed-2", "changed-3", "changed-4")) {
            action(node1, c + "-after", "TouchpointRecorded", c, "2025-03-10T09:00:00+08:00", "{\"channel\":\"wechat\"}");
        }
        pool.shutdown();
        for (String c : List.of("changed-3", "changed-4")) {
            awaitRuleMade(c, events -> events.stream().anyMatch(e -> e.type().equals("CustomerUntagged")));
        }
        awaitEvaluated();

        // changed-2 has 4 price objections: tagged under either version, never untagged
        assertThat(tagEvents("changed-2")).extracting(RuleMadeEvent::type).containsExactly("CustomerTagged");
        for (String c : List.of("changed-3", "changed-4")) {
            List<RuleMadeEvent> tags = tagEvents(c);
            assertThat(tags).extracting(RuleMadeEvent::type).containsExactly("CustomerTagged", "CustomerUntagged");
            assertThat(tags.get(1).data().get("ruleVersion").asInt()).isEqualTo(2);
        }
    }

    /** Waits until the customer's rule-made actions satisfy {@code done} (at most 60 s). */
    static void awaitRuleMade(String customer, java.util.function.Predicate<List<RuleMadeEvent>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!done.test(ruleMade(customer)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    /** The customer's tagging and untagging by this class's changing rule ({@link #HARD}). */
    private static List<RuleMadeEvent> tagEvents(String customer) {
        return ruleMade(customer).stream()
                .filter(e -> e.type().equals("CustomerTagged") || e.type().equals("CustomerUntagged"))
                .filter(e -> HARD.equals(e.data().path("tag").asText())).toList();
    }

    /**
     * Customers registered (channel web, class C) who raise three price objections within 30 days, the first and
     * last posted to different nodes, and are touched at an exhibition (class B); returns once the rules have seen
     * it all.
     */
    private static void bargainOver(List<String> customers) throws Exception {
        for (String c : customers) {
            action(node1, c + "-0", "CustomerRegistered", c, "2025-03-01T09:00:00+08:00",
                    "{\"name\":\"" + c + "\",\"region\":\"east\",\"ownerRepId\":\"rep-07\",\"channel\":\"web\"}");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> sent = new ArrayList<>();
        for (String c : customers) {
            sent.add(pool.submit(() -> {
                action(node1, c + "-1", "ObjectionRaised", c, "2025-03-02T09:00:00+08:00", "{\"objectionType\":\"PRICE\"}");
                action(node2, c + "-2", "ObjectionRaised", c, "2025-03-05T09:00:00+08:00", "{\"objectionType\":\"PRICE\"}");
                action(node1, c + "-3", "ObjectionRaised", c, "2025-03-06T09:00:00+08:00", "{\"objectionType\":\"PRICE\"}");
                action(node2, c + "-4", "TouchpointRecorded", c, "2025-03-07T09:00:00+08:00", "{\"channel\":\"exhibition\"}");
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        pool.shutdown();
        awaitEvaluated();
    }

    private static String visit(String role) {
        return "{\"contactRole\":\"" + role + "\",\"location\":{\"lat\":31.2,\"lon\":121.5},"
                + "\"objections\":[\"REGISTRATION_CERTIFICATE\"]}";
    }

    // ---- helpers ----

    record RuleMadeEvent(String type, JsonNode data, JsonNode meta) {
    }

    /** The rule-made actions of a customer (those of the actor "system"), in stored order. */
    static List<RuleMadeEvent> ruleMade(String customer) {
        List<RuleMadeEvent> all = jdbc.query("SELECT payload_type, convert_from(payload, 'UTF8'), "
                        + "convert_from(meta_data, 'UTF8') FROM domain_event_entry WHERE aggregate_identifier = ? "
                        + "ORDER BY sequence_number",
                (rs, row) -> {
                    try {
                        String type = rs.getString(1);
                        return new RuleMadeEvent(type.substring(type.lastIndexOf('.') + 1),
                                JSON.readTree(rs.getString(2)), JSON.readTree(rs.getString(3)));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, customer);
        return all.stream().filter(e -> "system".equals(e.meta().path("actor").asText())).toList();
    }

    /** Waits until both nodes' rule catalogs have {@code count} active rules. */
    static void awaitActiveRules(int count) throws Exception {
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[]{node1, node2}) {
            Response rules = TestHttp.eventually(uri(node, "/api/v1/rules"),
                    r -> r.json().get("rules").size() == count, Duration.ofSeconds(60));
            assertThat(rules.json().get("rules")).hasSize(count);
        }
    }

    static long rulebookEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?", Long.class,
                Rulebook.ID);
    }

    /** Waits until the rules processors of the running nodes have seen every stored event (at most 60 s). */
    static void awaitEvaluated() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int quietChecks = 0;
        while (System.nanoTime() < deadline) {
            Long head = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
            if (head != null && caughtUp(head)) {
                if (++quietChecks == 3) {
                    return;
                }
            } else {
                quietChecks = 0;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the rules processors did not catch up within 60 s");
    }

    private static boolean caughtUp(long head) {
        Map<Integer, Long> positions = new HashMap<>();
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[]{node1, node2}) {
            if (node == null || !node.isActive()) {
                continue;
            }
            StreamingEventProcessor processor = node.getBean(EventProcessingConfiguration.class)
                    .eventProcessor(RuleEvaluator.GROUP, StreamingEventProcessor.class).orElseThrow();
            processor.processingStatus().forEach((segment, status) -> {
                TrackingToken token = status.getCurrentPosition().isPresent() ? status.getTrackingToken() : null;
                if (token != null && !status.isErrorState()) {
                    positions.merge(segment, token.position().orElse(-1), Math::max);
                }
            });
        }
        // every segment of the rules processor, wherever each runs
        return positions.size() == SEGMENTS && positions.values().stream().allMatch(p -> p >= head);
    }

    static int port(ConfigurableApplicationContext node) {
        return ((WebServerApplicationContext) node).getWebServer().getPort();
    }

    static URI uri(ConfigurableApplicationContext node, String path) {
        return URI.create("http://localhost:" + port(node) + path);
    }

    static Response action(ConfigurableApplicationContext node, String id, String type, String customer, String time,
                           String data) throws Exception {
        Response response = TestHttp.post(uri(node, "/api/v1/actions"),
                TestHttp.envelope(id, type, customer, time, "rep-07", data), "Content-Type", "application/json");
        if (!type.equals("TalkTrackFeedbackGiven")) {
            assertThat(response.status()).as("%s %s", id, response).isEqualTo(202);
        }
        return response;
    }

    static Response get(ConfigurableApplicationContext node, String path) throws Exception {
        return TestHttp.get(uri(node, path));
    }

    static Response put(ConfigurableApplicationContext node, String path, String body, String actor, String reason)
            throws Exception {
        return send(org.salesledger.testing.TestHttp.request(uri(node, path)).PUT(HttpRequest.BodyPublishers.ofString(body)), actor, reason);
    }

    static Response post(ConfigurableApplicationContext node, String path, String body, String actor) throws Exception {
        return send(org.salesledger.testing.TestHttp.request(uri(node, path)).POST(HttpRequest.BodyPublishers.ofString(body)), actor, null);
    }

    static Response delete(ConfigurableApplicationContext node, String path, String actor, String reason)
            throws Exception {
        return send(org.salesledger.testing.TestHttp.request(uri(node, path)).DELETE(), actor, reason);
    }

    private static Response send(HttpRequest.Builder request, String actor, String reason) throws Exception {
        request.header("Content-Type", "application/json");
        if (actor != null) {
            request.header("X-Actor", actor);
        }
        if (reason != null) {
            request.header("X-Reason", reason);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }
}
