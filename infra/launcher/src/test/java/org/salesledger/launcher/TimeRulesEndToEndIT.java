package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.kagkarlsson.scheduler.Scheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.RuleDeadlines;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestPostgres;

/**
 * Issue 6 "done when", over HTTP through the launcher: a manager publishes the brief's rules, actions flow in, and
 * CustomerTagged, CustomerClassified, EscalationRaised, FollowUpDue, PoolReleaseReminded, CustomerReleasedToPool,
 * CollectionDue and TalkTrackIgnored appear in the timelines once each — also across a restart with a deadline
 * pending — and the pool and work lists show them.
 *
 * <p>No test races the wall clock: the actions are dated an hour ago (periods are measured from the actions' own
 * {@code time}s, so they are due as soon as they are planned), a period that must not yet be due is hours long, and
 * "once each" is asserted when the customers are settled ({@link RuleDeadlines#awaitSettled}) and their timelines
 * hold every stored event, never after a sleep. One system runs for the class; each test has its own customers and
 * reps, and publishes the rules it needs (publishing an unchanged rule changes nothing), so each runs alone.
 */
class TimeRulesEndToEndIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> EAST_MADE = List.of("CustomerClassified", "CustomerTagged", "EscalationRaised",
            "TalkTracksSuggested", "TalkTracksSuggested", "TalkTracksSuggested", "TalkTrackIgnored");
    private static final List<String> NORTH_MADE = List.of("FollowUpDue", "PoolReleaseReminded",
            "CustomerReleasedToPool");

    @TempDir
    static Path dataDir;

    static TestPostgres.TestDatabase db;
    static Settings settings;
    static EmbeddedSystem system;

    /** Makes this test's customer and rep ids its own. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String east = "e2e-east-" + run;
    private final String north = "e2e-north-" + run;
    private final String owner = "rep-07-" + run;
    /** An hour ago: every period of the brief's rules measured from it has run out. */
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(1));
    private boolean schedulerStopped;

    @BeforeAll
    static void start() throws Exception {
        db = TestPostgres.newDatabase();
        settings = TestSystems.settings(db, dataDir);
        system = EmbeddedSystem.start(settings);
        TestSystems.signIn(system);
        for (String script : List.of("cert-1", "cert-2", "cert-3")) {
            assertThat(send("POST", "/api/v1/talk-tracks", "{\"id\":\"" + script + "\",\"title\":\"" + script
                    + "\",\"text\":\"About the registration certificate…\"}", "trainer-1").status()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @AfterEach
    void restartIfHeldBack() throws Exception {
        if (schedulerStopped) {
            system.close();
            system = EmbeddedSystem.start(settings);
            TestSystems.signIn(system);
        }
    }

    @Test
    void aManagerPublishesTheBriefsRulesAndTheirEventsAppearOnceEach() throws Exception {
        publishTheBriefsRules();
        assertThat(get(command("/api/v1/rules")).json().get("rules")).hasSize(7);

        eastScenario();
        northScenario();
        JsonNode escalations = eventually(query("/api/v1/escalations?to=regional-director"),
                r -> escalationsOf(r.json()).size() == 1 && escalationsOf(r.json()).get(0).get("customer")
                        .get("lastActionType").asText().equals("VisitLogged")).json();

        assertThat(systemTypes(settledTimeline(east))).containsExactlyElementsOf(EAST_MADE);
        assertThat(systemTypes(settledTimeline(north))).containsExactlyElementsOf(NORTH_MADE);
        assertThat(escalationsOf(escalations)).hasSize(1);
        JsonNode pool = eventually(query("/api/v1/pool?region=north"), r -> inPool(r.json(), north) != null).json();
        assertThat(inPool(pool, north).get("previousOwnerRepId").asText()).isEqualTo(owner);
    }

    @Test
    void aDeadlinePendingAcrossARestartFiresOnce_andNothingIsRecordedTwice() throws Exception {
        publishTheBriefsRules();
        eastScenario();
        northScenario();
        // the command side's deadline scheduler held back: the contract's collection deadline is planned and due,
        // but only the restarted system can fire it
        schedulerStopped = true;
        system.commandSide().getBean(Scheduler.class).stop();
        action(east, "k1", "ContractSigned", "{\"contractId\":\"K-1\",\"amount\":{\"value\":\"100000\","
                + "\"currency\":\"CNY\"}}", t0.plusSeconds(20));
        RuleDeadlines.awaitTrue("a due collection deadline planned for " + east, db, c -> count(c,
                "SELECT count(*) FROM rule_timer WHERE customer_id = ? AND due_at < now()", east) == 1
                ? null : "none yet");
        assertThat(systemTypes(completeTimeline(east))).as("nothing fired before the restart")
                .containsExactlyElementsOf(EAST_MADE);
        system.close();
        system = EmbeddedSystem.start(settings);
        TestSystems.signIn(system);
        schedulerStopped = false;

        awaitSystem(east, types -> types.contains("CollectionDue"));

        List<String> eastAfter = new ArrayList<>(EAST_MADE);
        eastAfter.add("CollectionDue");
        assertThat(systemTypes(settledTimeline(east))).containsExactlyElementsOf(eastAfter);
        assertThat(systemTypes(settledTimeline(north))).containsExactlyElementsOf(NORTH_MADE);
        JsonNode todo = eventually(query("/api/v1/reps/" + owner + "/todo"),
                r -> r.json().get("collections").size() == 1 && r.json().get("followUps").size() == 1).json();
        assertThat(todo.get("collections").get(0).get("details").get("contractId").asText()).isEqualTo("K-1");
        assertThat(todo.get("followUps").get(0).get("customer").get("customerId").asText()).isEqualTo(north);
        assertThat(todo.get("talkTracks")).hasSize(1);
        // the escalation closed when the customer left the stage (the contract)
        eventually(query("/api/v1/escalations"), r -> escalationsOf(r.json()).isEmpty());
    }

    @Test
    void aRepClaimsTheReleasedCustomerAndThePoolEmpties() throws Exception {
        publishTheBriefsRules();
        northScenario();
        eventually(query("/api/v1/pool?region=north"), r -> inPool(r.json(), north) != null);
        // released, the customer is nobody's: no longer in its former owner's funnel (contract §7)
        eventually(query("/api/v1/funnel?rep=" + owner), r -> customersIn(r.json()) == 0);
        String claimer = "rep-08-" + run;

        Response lockedOut = send("POST", "/api/v1/pool/" + north + "/claim", "", owner);
        Response claimed = send("POST", "/api/v1/pool/" + north + "/claim", "", claimer);
        Response late = send("POST", "/api/v1/pool/" + north + "/claim", "", "rep-09-" + run);

        assertThat(lockedOut.status()).isEqualTo(422);
        assertThat(claimed.status()).isEqualTo(200);
        assertThat(late.status()).isEqualTo(409);
        eventually(query("/api/v1/pool"), r -> inPool(r.json(), north) == null);
        JsonNode funnel = eventually(query("/api/v1/funnel?rep=" + claimer), r -> r.json().get("stages").get(0)
                .get("current").asLong() == 1).json();
        assertThat(funnel.get("stages").get(0).get("current").asLong()).isEqualTo(1);
    }

    /** The customers a funnel answer counts now, over every stage. */
    private static long customersIn(JsonNode funnel) {
        long customers = 0;
        for (JsonNode stage : funnel.get("stages")) {
            customers += stage.get("current").asLong();
        }
        return customers;
    }

    // ---- the brief's scenario ----

    /** The brief's rules (durations of seconds), the pool's protection two hours long. */
    private static void publishTheBriefsRules() throws Exception {
        publish("high-bargaining", """
                {"kind": "TAG", "tag": "high-bargaining",
                 "when": "events.filter(e, e.type == 'ObjectionRaised' && e.data.objectionType == 'PRICE' && now - e.time <= duration('720h')).size() >= 2"}""");
        publish("classes", """
                {"kind": "CLASSIFY", "classes": [
                  {"class": "A", "when": "events.filter(e, e.type == 'CustomerActionObserved' && e.data.kind == 'INQUIRY').size() >= 3 && events.exists(e, e.type == 'NeedsConfirmed' && has(e.data.budget))"},
                  {"class": "B", "when": "customer.channel == 'exhibition'"}]}""");
        publish("certificate-talk", """
                {"kind": "TALK_TRACK", "scripts": ["cert-1", "cert-2", "cert-3"], "alertAfterUnused": 2,
                 "when": "visit.data.contactRole == 'equipment' && has(visit.data.objections) && 'REGISTRATION_CERTIFICATE' in visit.data.objections"}""");
        publish("proposal-no-reply", """
                {"kind": "ESCALATE", "stage": "PROPOSAL_SENT", "after": "PT3S", "to": "regional-director",
                 "unless": ["CustomerActionObserved"]}""");
        publish("freeze-warning", """
                {"kind": "IDLE", "after": "PT3S", "to": "supervisor", "when": "customer.region == 'north'"}""");
        publish("collection", "{\"kind\": \"COLLECTION\", \"after\": \"PT3S\"}");
        publishPool("PT2H", "PT90M");
    }

    /** The pool rule with this protection and reminder; waits until every customer is re-planned under it. */
    private static void publishPool(String after, String remindBefore) throws Exception {
        publish("public-pool", """
                {"kind": "POOL", "after": "%s", "remindBefore": "%s", "reclaimLockout": "PT1H",
                 "dailyClaimLimit": 5, "maxCustomersPerRep": 10, "when": "customer.region == 'north'"}"""
                .formatted(after, remindBefore));
        RuleDeadlines.awaitSwept(db);
    }

    /**
     * East, from an hour ago: registered from an exhibition (classified), two price objections (tagged), a proposal
     * left unanswered (escalated), then three visits with the certificate objection (three suggestions, the last two
     * unused: ignored).
     */
    private void eastScenario() throws Exception {
        action(east, "0", "CustomerRegistered", "{\"name\":\"East Hospital\",\"region\":\"east\","
                + "\"ownerRepId\":\"" + owner + "\",\"channel\":\"exhibition\"}", t0);
        action(east, "o1", "ObjectionRaised", "{\"objectionType\":\"PRICE\"}", t0.plusSeconds(1));
        action(east, "o2", "ObjectionRaised", "{\"objectionType\":\"PRICE\"}", t0.plusSeconds(2));
        // the rules processor records these asynchronously, and the escalation below is due as soon as it is
        // planned: waiting for them makes the order of the system's events the one EAST_MADE states
        awaitSystem(east, types -> types.containsAll(List.of("CustomerClassified", "CustomerTagged")));
        action(east, "p", "ProposalSent", "{\"document\":{\"uri\":\"s3://p.pdf\",\"mediaType\":"
                + "\"application/pdf\"},\"expectedDecisionDate\":\"2030-01-01\","
                + "\"keyParameters\":[\"price\",\"delivery\",\"warranty\"]}", t0.plusSeconds(3));
        awaitSystem(east, types -> types.contains("EscalationRaised"));
        for (int i = 1; i <= 3; i++) {
            action(east, "v" + i, "VisitLogged", "{\"contactRole\":\"equipment\",\"location\":{\"lat\":31.2,"
                    + "\"lon\":121.5},\"objections\":[\"REGISTRATION_CERTIFICATE\"]}", t0.plusSeconds(9 + i));
        }
        awaitSystem(east, types -> types.contains("TalkTrackIgnored"));
    }

    /**
     * North, registered an hour ago and left alone: a follow-up is due and, under the two-hour protection, the
     * reminder (due half an hour ago) but not yet the release. The manager then shortens the protection to half an
     * hour: the customer is released at once (the new reminder is skipped, its release being due too).
     */
    private void northScenario() throws Exception {
        publishPool("PT2H", "PT90M");
        action(north, "0", "CustomerRegistered", "{\"name\":\"North Clinic\",\"region\":\"north\","
                + "\"ownerRepId\":\"" + owner + "\",\"channel\":\"web\"}", t0);
        awaitSystem(north, types -> types.contains("PoolReleaseReminded"));
        assertThat(systemTypes(settledTimeline(north))).containsExactly("FollowUpDue", "PoolReleaseReminded");
        publishPool("PT30M", "PT10M");
        awaitSystem(north, types -> types.contains("CustomerReleasedToPool"));
    }

    // ---- helpers ----

    private static void publish(String ruleId, String body) throws Exception {
        Response response = send("PUT", "/api/v1/rules/" + ruleId, body, "manager-1");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** An action by this test's owner rep, dated {@code at}. */
    private void action(String customer, String suffix, String type, String data, Instant at) throws Exception {
        String time = OffsetDateTime.ofInstant(at, ZoneOffset.ofHours(8)).toString();
        Response response = TestHttp.post(command("/api/v1/actions"), TestHttp.envelope(customer + "-" + suffix, type,
                customer, time, owner, data), "Content-Type", "application/json");
        assertThat(response.status()).as("%s: %s", suffix, response).isEqualTo(202);
    }

    /**
     * The customer's timeline once it is settled (no deadline of its own will record anything more before new
     * actions come) and the query side holds every one of its stored events.
     */
    private static JsonNode settledTimeline(String customer) throws Exception {
        RuleDeadlines.awaitSettled(db, customer);
        return completeTimeline(customer);
    }

    /** The customer's timeline once the query side holds every one of its stored events. */
    private static JsonNode completeTimeline(String customer) throws Exception {
        long[] stored = new long[1];
        RuleDeadlines.awaitTrue("the stored events of " + customer, db, c -> {
            stored[0] = count(c, "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?", customer);
            return null;
        });
        return eventually(query("/api/v1/customers/" + customer + "/timeline"),
                r -> r.status() == 200 && r.json().get("events").size() == stored[0]).json();
    }

    private static long count(Connection c, String sql, String customer) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, customer);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** This test's open escalations in an escalations answer. */
    private List<JsonNode> escalationsOf(JsonNode answer) {
        List<JsonNode> mine = new ArrayList<>();
        answer.get("escalations").forEach(e -> {
            if (e.get("customer").get("customerId").asText().equals(east)) {
                mine.add(e);
            }
        });
        return mine;
    }

    /** The customer's entry in a pool answer, or {@code null}. */
    private static JsonNode inPool(JsonNode answer, String customer) {
        for (JsonNode c : answer.get("customers")) {
            if (c.get("customerId").asText().equals(customer)) {
                return c;
            }
        }
        return null;
    }

    private static List<String> awaitSystem(String customer, Predicate<List<String>> done) throws Exception {
        JsonNode timeline = eventually(query("/api/v1/customers/" + customer + "/timeline"),
                r -> r.status() == 200 && done.test(systemTypes(r.json()))).json();
        return systemTypes(timeline);
    }

    private static List<String> systemTypes(JsonNode timeline) {
        List<String> types = new ArrayList<>();
        timeline.get("events").forEach(e -> {
            if (e.get("actor").asText().equals("system")) {
                types.add(e.get("type").asText());
            }
        });
        return types;
    }

    private static Response send(String method, String path, String body, String actor) throws Exception {
        HttpRequest request = org.salesledger.testing.TestHttp.request(command(path))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("X-Actor", actor).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }

    private static Response get(URI uri) throws Exception {
        return TestHttp.get(uri);
    }

    private static Response eventually(URI uri, Predicate<Response> done) throws Exception {
        Response last = TestHttp.eventually(uri, done, Duration.ofSeconds(120));
        assertThat(done.test(last)).as("caught up; last answer: %s", last.body()).isTrue();
        return last;
    }
}
