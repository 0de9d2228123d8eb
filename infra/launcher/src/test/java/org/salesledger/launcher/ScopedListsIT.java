package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.RuleDeadlines;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestPostgres;

/**
 * Issue 17 "scope in one place" for the timeline, the work lists and the talk-track effect, over HTTP through the
 * launcher: a small organisation (a director of east, a supervisor of east with two reps, a rep of a west supervisor,
 * an auditor, an analyst), customers across regions and owners — one reassigned to another supervisor's rep, two
 * released to the public pool by a POOL rule — and per caller what each endpoint lists, as hard-coded ids.
 *
 * <p>Customers (region, owner now): c1 (east, rep-a), c2 (east, rep-b reassigned to rep-c), c3 (west, rep-a),
 * c4 (west, rep-c), x1 (east, rep-a; escalated to sup-2), k1 (west, rep-a; a contract: rep-a's collection to-do),
 * p1 (east, released from rep-b), p2 (west, released from rep-c). Escalated (proposal unanswered): c1, c2, c3, c4 to
 * "ceo", x1 to sup-2. Talk-track cert-1 used on c1, c2, c4.
 */
class ScopedListsIT {

    @TempDir
    static Path dataDir;

    static TestPostgres.TestDatabase db;
    static EmbeddedSystem system;
    static final Map<String, String> TOKENS = new LinkedHashMap<>();
    static final List<String> CUSTOMERS = List.of("c1", "c2", "c3", "c4", "x1", "k1", "p1", "p2");
    /** An hour ago: every period of the rules below measured from it has run out. */
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(1));

    @BeforeAll
    static void start() throws Exception {
        db = TestPostgres.newDatabase();
        system = EmbeddedSystem.start(TestSystems.settings(db, dataDir));
        TestSystems.signIn(system);
        user("dir-e", "{\"name\":\"Director East\",\"roles\":[\"director\"],\"region\":\"east\"}");
        user("sup-1", "{\"name\":\"Sup 1\",\"roles\":[\"supervisor\"],\"region\":\"east\"}");
        user("rep-a", "{\"name\":\"Rep A\",\"roles\":[\"rep\"],\"region\":\"east\",\"supervisorId\":\"sup-1\"}");
        user("rep-b", "{\"name\":\"Rep B\",\"roles\":[\"rep\"],\"region\":\"east\",\"supervisorId\":\"sup-1\"}");
        user("sup-2", "{\"name\":\"Sup 2\",\"roles\":[\"supervisor\"],\"region\":\"west\"}");
        user("rep-c", "{\"name\":\"Rep C\",\"roles\":[\"rep\"],\"region\":\"west\",\"supervisorId\":\"sup-2\"}");
        user("aud", "{\"name\":\"Auditor\",\"roles\":[\"auditor\"]}");
        user("ana", "{\"name\":\"Analyst\",\"roles\":[\"analyst\"]}");
        TOKENS.put("admin", TestHttp.currentToken());

        assertThat(TestHttp.post(command("/api/v1/talk-tracks"), "{\"id\":\"cert-1\",\"title\":\"cert-1\","
                + "\"text\":\"About the registration certificate…\"}", "Content-Type", "application/json").status())
                .isEqualTo(201);
        publish("talk", """
                {"kind": "TALK_TRACK", "scripts": ["cert-1"], "alertAfterUnused": 5,
                 "when": "visit.data.contactRole == 'equipment'"}""");
        publish("esc-web", """
                {"kind": "ESCALATE", "stage": "PROPOSAL_SENT", "after": "PT3S", "to": "ceo",
                 "unless": ["CustomerActionObserved"], "when": "customer.channel == 'web'"}""");
        publish("esc-phone", """
                {"kind": "ESCALATE", "stage": "PROPOSAL_SENT", "after": "PT3S", "to": "sup-2",
                 "unless": ["CustomerActionObserved"], "when": "customer.channel == 'phone'"}""");
        publish("collection", "{\"kind\": \"COLLECTION\", \"after\": \"PT3S\"}");
        publish("pool", """
                {"kind": "POOL", "after": "PT30M", "remindBefore": "PT10M", "reclaimLockout": "PT1H",
                 "dailyClaimLimit": 5, "maxCustomersPerRep": 10, "when": "customer.channel == 'pool'"}""");
        RuleDeadlines.awaitSwept(db);

        register("c1", "east", "rep-a", "web");
        register("c2", "east", "rep-b", "web");
        register("c3", "west", "rep-a", "web");
        register("c4", "west", "rep-c", "web");
        register("x1", "east", "rep-a", "phone");
        register("k1", "west", "rep-a", "deal");
        register("p1", "east", "rep-b", "pool");
        register("p2", "west", "rep-c", "pool");
        // cert-1 suggested on a visit and used on c1, c2, c4
        Map<String, String> owners = Map.of("c1", "rep-a", "c2", "rep-b", "c4", "rep-c");
        for (String c : List.of("c1", "c2", "c4")) {
            action(c, "v", "VisitLogged", "{\"contactRole\":\"equipment\",\"location\":{\"lat\":31.2,\"lon\":121.5}}",
                    owners.get(c), 1);
        }
        for (String c : List.of("c1", "c2", "c4")) {
            JsonNode timeline = eventually(query("/api/v1/customers/" + c + "/timeline"),
                    r -> r.status() == 200 && entry(r.json(), "TalkTracksSuggested") != null).json();
            String suggestion = entry(timeline, "TalkTracksSuggested").get("id").asText();
            action(c, "f", "TalkTrackFeedbackGiven", "{\"suggestionId\":\"" + suggestion
                    + "\",\"scriptId\":\"cert-1\",\"feedback\":\"USED\"}", owners.get(c), 2);
        }
        for (String c : List.of("c1", "c2", "c3", "c4", "x1")) {
            action(c, "p", "ProposalSent", "{\"document\":{\"uri\":\"s3://p.pdf\",\"mediaType\":"
                    + "\"application/pdf\"},\"expectedDecisionDate\":\"2030-01-01\","
                    + "\"keyParameters\":[\"price\",\"delivery\",\"warranty\"]}", c.equals("c4") ? "rep-c"
                    : c.equals("c2") ? "rep-b" : "rep-a", 3);
        }
        action("k1", "k", "ContractSigned", "{\"contractId\":\"K-1\",\"amount\":{\"value\":\"1000\","
                + "\"currency\":\"CNY\"}}", "rep-a", 3);
        Response reassigned = TestHttp.send("POST", command("/api/v1/customers/c2/reassign"),
                "{\"toRepId\":\"rep-c\",\"reason\":\"moved west\"}");
        assertThat(reassigned.status()).as(reassigned.body()).isEqualTo(200);

        // every read model has applied everything above
        eventually(query("/api/v1/customers/c2/timeline"), r -> r.status() == 200
                && entry(r.json(), "CustomerReassigned") != null);
        for (String p : List.of("p1", "p2")) {
            eventually(query("/api/v1/customers/" + p + "/timeline"), r -> r.status() == 200
                    && entry(r.json(), "CustomerReleasedToPool") != null);
        }
        eventually(query("/api/v1/pool"), r -> ids(r.json().get("customers")).equals(Set.of("p1", "p2")));
        eventually(query("/api/v1/escalations"), r -> escalated(r.json()).equals(Set.of("c1", "c2", "c3", "c4", "x1"))
                && owner(r.json(), "c2").equals("rep-c"));
        eventually(query("/api/v1/reps/rep-a/todo"), r -> r.status() == 200
                && ids(customers(r.json().get("collections"))).equals(Set.of("k1"))
                && r.json().get("talkTracks").isEmpty());
        eventually(query("/api/v1/talk-tracks/cert-1/effect"), r -> r.json().get("uses").asLong() == 3);
        // the talk-track read model has applied the reassignment: c2 is rep-c's
        eventually(query("/api/v1/talk-tracks/cert-1/effect"), TOKENS.get("rep-c"),
                r -> r.status() == 200 && r.json().get("uses").asLong() == 2);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void theTimelineAnswersOnlyTheCustomersInTheCallersScope_404ForTheOthers() throws Exception {
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("admin", Set.copyOf(CUSTOMERS));
        expected.put("aud", Set.copyOf(CUSTOMERS));
        expected.put("dir-e", Set.of("c1", "c2", "x1", "p1"));
        expected.put("sup-1", Set.of("c1", "c3", "x1", "k1"));
        expected.put("rep-a", Set.of("c1", "c3", "x1", "k1"));
        expected.put("rep-b", Set.of());
        expected.put("rep-c", Set.of("c2", "c4"));
        expected.put("sup-2", Set.of("c2", "c4"));

        Map<String, Set<String>> seen = new LinkedHashMap<>();
        for (String caller : expected.keySet()) {
            Set<String> visible = new TreeSet<>();
            for (String c : CUSTOMERS) {
                Response r = TestHttp.get(query("/api/v1/customers/" + c + "/timeline"), TOKENS.get(caller));
                assertThat(r.status()).as("%s reads %s: %s", caller, c, r).isIn(200, 404);
                if (r.status() == 200) {
                    visible.add(c);
                } else {
                    assertThat(r.body()).as("answered as an unknown customer").contains("no customer '" + c + "'");
                }
            }
            seen.put(caller, visible);
        }

        assertThat(seen).isEqualTo(sorted(expected));
        assertThat(TestHttp.get(query("/api/v1/customers/c1/timeline"), TOKENS.get("ana")).status()).isEqualTo(403);
        assertThat(TestHttp.get(query("/api/v1/customers/nobody/timeline"), TOKENS.get("admin")).status())
                .isEqualTo(404);
    }

    @Test
    void theTimelineCarriesWhoRecordedEachAction() throws Exception {
        Response posted = TestHttp.sendAs(TOKENS.get("rep-a"), "POST", command("/api/v1/actions"),
                TestHttp.envelope("k1-own", "ObjectionRaised", "k1", time(4), "rep-a", "{\"objectionType\":\"PRICE\"}"));
        assertThat(posted.status()).as(posted.body()).isEqualTo(202);

        JsonNode timeline = eventually(query("/api/v1/customers/k1/timeline"),
                r -> r.status() == 200 && entry(r.json(), "ObjectionRaised") != null).json();

        JsonNode own = entry(timeline, "ObjectionRaised");
        assertThat(own.get("actor").asText()).isEqualTo("rep-a");
        assertThat(own.get("recordedBy").asText()).isEqualTo("rep-a");
        JsonNode registered = entry(timeline, "CustomerRegistered");
        assertThat(registered.get("actor").asText()).isEqualTo("rep-a");
        assertThat(registered.get("recordedBy").asText()).isEqualTo("admin");
    }

    @Test
    void thePoolListsTheCallersRegion() throws Exception {
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("admin", Set.of("p1", "p2"));
        expected.put("aud", Set.of("p1", "p2"));
        expected.put("dir-e", Set.of("p1"));
        expected.put("sup-1", Set.of("p1"));
        expected.put("rep-a", Set.of("p1"));
        expected.put("rep-b", Set.of("p1"));
        expected.put("rep-c", Set.of("p2"));
        expected.put("sup-2", Set.of("p2"));

        Map<String, Set<String>> seen = new LinkedHashMap<>();
        for (String caller : expected.keySet()) {
            Response r = TestHttp.get(query("/api/v1/pool"), TOKENS.get(caller));
            assertThat(r.status()).as("%s: %s", caller, r).isEqualTo(200);
            seen.put(caller, new TreeSet<>(ids(r.json().get("customers"))));
        }

        assertThat(seen).isEqualTo(sorted(expected));
        assertThat(TestHttp.get(query("/api/v1/pool?region=west"), TOKENS.get("rep-a")).json().get("customers"))
                .isEmpty();
        assertThat(TestHttp.get(query("/api/v1/pool"), TOKENS.get("ana")).status()).isEqualTo(403);
    }

    @Test
    void theEscalationsListTheCallersCustomers_andThoseAddressedToIt() throws Exception {
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("admin", Set.of("c1", "c2", "c3", "c4", "x1"));
        expected.put("aud", Set.of("c1", "c2", "c3", "c4", "x1"));
        expected.put("dir-e", Set.of("c1", "c2", "x1"));
        expected.put("sup-1", Set.of("c1", "c3", "x1"));
        expected.put("rep-a", Set.of("c1", "c3", "x1"));
        expected.put("rep-b", Set.of());
        expected.put("rep-c", Set.of("c2", "c4"));
        expected.put("sup-2", Set.of("c2", "c4", "x1")); // x1 (rep-a's) is escalated to sup-2

        Map<String, Set<String>> seen = new LinkedHashMap<>();
        for (String caller : expected.keySet()) {
            Response r = TestHttp.get(query("/api/v1/escalations"), TOKENS.get(caller));
            assertThat(r.status()).as("%s: %s", caller, r).isEqualTo(200);
            seen.put(caller, new TreeSet<>(escalated(r.json())));
        }

        assertThat(seen).isEqualTo(sorted(expected));
        assertThat(escalated(TestHttp.get(query("/api/v1/escalations?to=ceo"), TOKENS.get("sup-2")).json()))
                .containsExactlyInAnyOrder("c2", "c4");
        assertThat(TestHttp.get(query("/api/v1/escalations"), TOKENS.get("ana")).status()).isEqualTo(403);
    }

    @Test
    void aRepsToDosAreAnsweredToTheRepItsSupervisorItsRegionsDirectorAdminAndAuditor_404ToOthers() throws Exception {
        Map<String, Integer> repA = new LinkedHashMap<>();
        for (String caller : List.of("rep-a", "sup-1", "dir-e", "admin", "aud")) {
            repA.put(caller, 200);
        }
        for (String caller : List.of("rep-b", "rep-c", "sup-2")) {
            repA.put(caller, 404);
        }
        repA.put("ana", 403);
        Map<String, Integer> repC = new LinkedHashMap<>();
        for (String caller : List.of("rep-c", "sup-2", "admin", "aud")) {
            repC.put(caller, 200);
        }
        for (String caller : List.of("rep-a", "sup-1", "dir-e")) {
            repC.put(caller, 404);
        }

        Map<String, Integer> seenA = new LinkedHashMap<>();
        for (String caller : repA.keySet()) {
            Response r = TestHttp.get(query("/api/v1/reps/rep-a/todo"), TOKENS.get(caller));
            seenA.put(caller, r.status());
            if (r.status() == 200) {
                // the whole list, its west customer k1 included, also to the director of east
                assertThat(ids(customers(r.json().get("collections")))).as(caller).containsExactly("k1");
            }
        }
        Map<String, Integer> seenC = new LinkedHashMap<>();
        for (String caller : repC.keySet()) {
            seenC.put(caller, TestHttp.get(query("/api/v1/reps/rep-c/todo"), TOKENS.get(caller)).status());
        }

        assertThat(seenA).isEqualTo(repA);
        assertThat(seenC).isEqualTo(repC);
        assertThat(TestHttp.get(query("/api/v1/reps/nobody/todo"), TOKENS.get("dir-e")).status()).isEqualTo(404);
    }

    @Test
    void theTalkTrackEffectCountsOnlyTheCustomersInScope() throws Exception {
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("admin", 3L);
        expected.put("aud", 3L);
        expected.put("ana", 3L);
        expected.put("dir-e", 2L); // c1, c2
        expected.put("sup-1", 1L); // c1
        expected.put("rep-a", 1L); // c1
        expected.put("rep-b", 0L); // c2 went to rep-c
        expected.put("rep-c", 2L); // c2, c4
        expected.put("sup-2", 2L);

        Map<String, Long> uses = new LinkedHashMap<>();
        Map<String, Integer> listed = new LinkedHashMap<>();
        for (String caller : expected.keySet()) {
            Response one = TestHttp.get(query("/api/v1/talk-tracks/cert-1/effect"), TOKENS.get(caller));
            assertThat(one.status()).as("%s: %s", caller, one).isEqualTo(200);
            uses.put(caller, one.json().get("uses").asLong());
            assertThat(one.json().get("customers").asLong()).as(caller).isEqualTo(expected.get(caller));
            listed.put(caller, TestHttp.get(query("/api/v1/talk-tracks/effect"), TOKENS.get(caller)).json()
                    .get("scripts").size());
        }

        assertThat(uses).isEqualTo(expected);
        Map<String, Integer> scripts = new LinkedHashMap<>();
        expected.forEach((caller, n) -> scripts.put(caller, n == 0 ? 0 : 1));
        assertThat(listed).isEqualTo(scripts);
    }

    // ---- helpers ----

    private static void user(String id, String definition) {
        TOKENS.put(id, TestHttp.userToken(system.commandPort(), id, definition));
    }

    private static void publish(String ruleId, String body) throws Exception {
        Response response = TestHttp.send("PUT", command("/api/v1/rules/" + ruleId), body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private static void register(String c, String region, String owner, String channel) throws Exception {
        action(c, "0", "CustomerRegistered", "{\"name\":\"" + c + "\",\"region\":\"" + region + "\",\"ownerRepId\":\""
                + owner + "\",\"channel\":\"" + channel + "\"}", owner, 0);
    }

    /** An action sent by the admin for {@code actor}, {@code second}s after {@link #T0}. */
    private static void action(String c, String suffix, String type, String data, String actor, int second)
            throws Exception {
        Response response = TestHttp.post(command("/api/v1/actions"), TestHttp.envelope(c + "-" + suffix, type, c,
                time(second), actor, data), "Content-Type", "application/json");
        assertThat(response.status()).as("%s-%s: %s", c, suffix, response).isEqualTo(202);
    }

    private static String time(int second) {
        return OffsetDateTime.ofInstant(T0.plusSeconds(second), ZoneOffset.ofHours(8)).toString();
    }

    private static JsonNode entry(JsonNode timeline, String type) {
        for (JsonNode e : timeline.get("events")) {
            if (e.get("type").asText().equals(type)) {
                return e;
            }
        }
        return null;
    }

    private static Set<String> ids(JsonNode list) {
        Set<String> ids = new TreeSet<>();
        list.forEach(c -> ids.add(c.get("customerId").asText()));
        return ids;
    }

    private static JsonNode customers(JsonNode items) {
        ArrayNode customers = JsonNodeFactory.instance.arrayNode();
        items.forEach(i -> customers.add(i.get("customer")));
        return customers;
    }

    private static Set<String> escalated(JsonNode answer) {
        return ids(customers(answer.get("escalations")));
    }

    private static String owner(JsonNode escalations, String customer) {
        for (JsonNode e : escalations.get("escalations")) {
            if (e.get("customer").get("customerId").asText().equals(customer)) {
                return e.get("customer").path("ownerRepId").asText();
            }
        }
        return "";
    }

    private static Map<String, Set<String>> sorted(Map<String, Set<String>> expected) {
        Map<String, Set<String>> sorted = new LinkedHashMap<>();
        expected.forEach((k, v) -> sorted.put(k, new TreeSet<>(v)));
        return sorted;
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }

    private static Response eventually(URI uri, Predicate<Response> done) throws Exception {
        Response last = TestHttp.eventually(uri, done, Duration.ofSeconds(120));
        assertThat(done.test(last)).as("caught up; last answer: %s", last.body()).isTrue();
        return last;
    }

    /** As {@link #eventually(URI, Predicate)}, with this token. */
    private static Response eventually(URI uri, String token, Predicate<Response> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Response last = TestHttp.get(uri, token);
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = TestHttp.get(uri, token);
        }
        assertThat(done.test(last)).as("caught up; last answer: %s", last).isTrue();
        return last;
    }
}
