package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;

/**
 * The funnel read model's answers for each caller (contract §7): the funnel with and without filters and
 * breakdowns, the stalled and idle lists and a customer's stages count only the customers the caller may see, and
 * equal a count made here from this test's own data.
 *
 * <p>The organisation: {@code dir-east} directs region east; {@code sup-1} supervises {@code rep-a} and
 * {@code rep-b}; {@code rep-c} is supervised by {@code sup-2}; {@code ana} is an analyst. Seven customers across
 * two regions; {@code c7}, rep-c's, is reassigned to rep-b after its proposal.
 */
class ScopedFunnelIT {

    private static final List<String> STAGES = List.of("FIRST_CONTACT", "NEEDS_CONFIRMED", "PROPOSAL_SENT",
            "PRICE_OBJECTION", "TRIAL_REQUESTED", "CONTRACT_SIGNED");

    /**
     * A customer as this test knows it, stated by hand: its registration data and current owner, its stage now,
     * the furthest ordered stage it reached, when it entered its current stage, and the days it spent in each stage
     * it has left.
     */
    record C(String id, String region, String owner, String team, String channel, String registered, String stage,
             int furthest, String enteredStage, Map<String, Double> daysIn) {
        String month() {
            return registered.substring(0, 7);
        }

        boolean open() {
            return !stage.equals("CONTRACT_SIGNED") && !stage.equals("LOST");
        }
    }

    private static final List<C> CUSTOMERS = List.of(
            new C("c1", "east", "rep-a", "t1", "web", "2025-03-03T09:00:00Z", "PROPOSAL_SENT", 2,
                    "2025-03-07T09:00:00Z", Map.of("FIRST_CONTACT", 2.0, "NEEDS_CONFIRMED", 2.0)),
            new C("c2", "east", "rep-a", "t1", "wechat", "2025-03-04T09:00:00Z", "FIRST_CONTACT", 0,
                    "2025-03-04T09:00:00Z", Map.of()),
            new C("c3", "west", "rep-a", "t1", "web", "2025-04-02T09:00:00Z", "CONTRACT_SIGNED", 5,
                    "2025-04-10T09:00:00Z", Map.of("FIRST_CONTACT", 8.0)),
            new C("c4", "east", "rep-b", "t1", "web", "2025-03-10T09:00:00Z", "PROPOSAL_SENT", 2,
                    "2025-03-12T09:00:00Z", Map.of("FIRST_CONTACT", 2.0)),
            new C("c5", "east", "rep-c", "t2", "web", "2025-03-11T09:00:00Z", "LOST", 0,
                    "2025-03-15T09:00:00Z", Map.of("FIRST_CONTACT", 4.0)),
            new C("c6", "west", "rep-c", "t2", "wechat", "2025-04-05T09:00:00Z", "NEEDS_CONFIRMED", 1,
                    "2025-04-06T09:00:00Z", Map.of("FIRST_CONTACT", 1.0)),
            new C("c7", "east", "rep-b", "t2", "web", "2025-03-20T09:00:00Z", "PROPOSAL_SENT", 2,
                    "2025-03-26T09:00:00Z", Map.of("FIRST_CONTACT", 6.0)));

    /** Who sees which customer, stated apart from the system's Scope. */
    private static final Map<String, Predicate<C>> SEES = new LinkedHashMap<>();

    static {
        SEES.put("admin", c -> true);
        SEES.put("ana", c -> true);
        SEES.put("dir-east", c -> c.region().equals("east"));
        SEES.put("sup-1", c -> List.of("sup-1", "rep-a", "rep-b").contains(c.owner()));
        SEES.put("rep-a", c -> c.owner().equals("rep-a"));
        SEES.put("rep-b", c -> c.owner().equals("rep-b"));
        SEES.put("rep-c", c -> c.owner().equals("rep-c"));
    }

    @TempDir
    static Path dataDir;

    static EmbeddedSystem system;
    static final Map<String, String> TOKENS = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        system = EmbeddedSystem.start(TestSystems.settings(dataDir));
        TOKENS.put("admin", TestSystems.signIn(system));
        user("dir-east", "{\"name\":\"Director East\",\"roles\":[\"director\"],\"region\":\"east\"}");
        user("sup-1", "{\"name\":\"Sup 1\",\"roles\":[\"supervisor\"],\"region\":\"east\"}");
        user("sup-2", "{\"name\":\"Sup 2\",\"roles\":[\"supervisor\"],\"region\":\"west\"}");
        user("rep-a", "{\"name\":\"Rep A\",\"roles\":[\"rep\"],\"region\":\"east\",\"supervisorId\":\"sup-1\"}");
        user("rep-b", "{\"name\":\"Rep B\",\"roles\":[\"rep\"],\"region\":\"east\",\"supervisorId\":\"sup-1\"}");
        user("rep-c", "{\"name\":\"Rep C\",\"roles\":[\"rep\"],\"region\":\"west\",\"supervisorId\":\"sup-2\"}");
        user("ana", "{\"name\":\"Analyst\",\"roles\":[\"analyst\"]}");

        register("c1", "east", "rep-a", "t1", "web", "2025-03-03T09:00:00Z");
        act("c1", "NeedsConfirmed", "2025-03-05T09:00:00Z", "rep-a", "{\"needs\":[\"CT\"]}");
        act("c1", "ProposalSent", "2025-03-07T09:00:00Z", "rep-a", PROPOSAL);
        register("c2", "east", "rep-a", "t1", "wechat", "2025-03-04T09:00:00Z");
        register("c3", "west", "rep-a", "t1", "web", "2025-04-02T09:00:00Z");
        act("c3", "ContractSigned", "2025-04-10T09:00:00Z", "rep-a",
                "{\"contractId\":\"K-3\",\"amount\":{\"value\":\"1000\",\"currency\":\"CNY\"}}");
        register("c4", "east", "rep-b", "t1", "web", "2025-03-10T09:00:00Z");
        act("c4", "ProposalSent", "2025-03-12T09:00:00Z", "rep-b", PROPOSAL);
        register("c5", "east", "rep-c", "t2", "web", "2025-03-11T09:00:00Z");
        act("c5", "DealLost", "2025-03-15T09:00:00Z", "rep-c", "{\"reason\":\"went with a competitor\"}");
        register("c6", "west", "rep-c", "t2", "wechat", "2025-04-05T09:00:00Z");
        act("c6", "NeedsConfirmed", "2025-04-06T09:00:00Z", "rep-c", "{\"needs\":[\"CT\"]}");
        register("c7", "east", "rep-c", "t2", "web", "2025-03-20T09:00:00Z");
        act("c7", "ProposalSent", "2025-03-26T09:00:00Z", "rep-c", PROPOSAL);
        TestHttp.eventually(query("/api/v1/customers/c7/stages"),
                r -> r.status() == 200 && r.json().path("stages").size() == 2, Duration.ofSeconds(60));
        Response reassigned = TestHttp.sendAs(TOKENS.get("admin"), "POST", command("/api/v1/customers/c7/reassign"),
                "{\"toRepId\":\"rep-b\",\"reason\":\"rep-c moved west\"}");
        assertThat(reassigned.status()).as(reassigned.toString()).isEqualTo(200);

        // everything has reached the funnel: the admin's funnel by rep is the one stated here
        TestHttp.eventually(query("/api/v1/funnel?groupBy=rep"), r -> r.status() == 200
                && r.json().path("groups").size() == 3 && sameBreakdown(r.json(), CUSTOMERS, C::owner),
                Duration.ofSeconds(60));
    }

    private static final String PROPOSAL = "{\"document\":{\"uri\":\"s3://p/1.pdf\",\"mediaType\":\"application/pdf\"},"
            + "\"expectedDecisionDate\":\"2025-06-01\",\"keyParameters\":[\"price\",\"delivery\",\"warranty\"],"
            + "\"amount\":{\"value\":\"1200\",\"currency\":\"CNY\"}}";

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    // ---- the funnel ----

    /** (query string, which customers it selects, what it groups by); every caller asks each. */
    private record Question(String query, Predicate<C> selects, Function<C, String> groupBy) {
    }

    private static final List<Question> QUESTIONS = List.of(
            new Question("", c -> true, null),
            new Question("?groupBy=rep", c -> true, C::owner),
            new Question("?groupBy=region", c -> true, C::region),
            new Question("?groupBy=team", c -> true, C::team),
            new Question("?groupBy=channel", c -> true, C::channel),
            new Question("?groupBy=month", c -> true, C::month),
            new Question("?region=east", c -> c.region().equals("east"), null),
            new Question("?region=west", c -> c.region().equals("west"), null),
            new Question("?rep=rep-a", c -> c.owner().equals("rep-a"), null),
            new Question("?rep=rep-b&groupBy=month", c -> c.owner().equals("rep-b"), C::month),
            new Question("?team=t2", c -> c.team().equals("t2"), null),
            new Question("?channel=web", c -> c.channel().equals("web"), null),
            new Question("?channel=web&groupBy=rep", c -> c.channel().equals("web"), C::owner),
            new Question("?region=east&groupBy=rep", c -> c.region().equals("east"), C::owner),
            new Question("?from=2025-04-01", c -> c.registered().compareTo("2025-04-01") >= 0, null),
            new Question("?to=2025-03-15&groupBy=region", c -> c.registered().compareTo("2025-03-15") < 0,
                    C::region),
            new Question("?region=east&channel=web&team=t1", c -> c.region().equals("east")
                    && c.channel().equals("web") && c.team().equals("t1"), null));

    @Test
    void everyCallersFunnelCountsExactlyTheCustomersItMaySee() throws Exception {
        for (Map.Entry<String, Predicate<C>> caller : SEES.entrySet()) {
            for (Question q : QUESTIONS) {
                List<C> expected = CUSTOMERS.stream().filter(caller.getValue()).filter(q.selects()).toList();
                Response answer = TestHttp.get(query("/api/v1/funnel" + q.query()), TOKENS.get(caller.getKey()));
                String what = caller.getKey() + " asking /api/v1/funnel" + q.query();
                assertThat(answer.status()).as(what + ": " + answer).isEqualTo(200);
                if (q.groupBy() == null) {
                    assertFunnel(answer.json(), expected, what);
                } else {
                    Map<String, List<C>> groups = new TreeMap<>();
                    expected.forEach(c -> groups.computeIfAbsent(q.groupBy().apply(c), k -> new ArrayList<>())
                            .add(c));
                    JsonNode actual = answer.json().get("groups");
                    assertThat(actual).as(what).extracting(g -> g.get("key").asText())
                            .containsExactlyElementsOf(groups.keySet());
                    for (JsonNode group : actual) {
                        String key = group.get("key").asText();
                        assertFunnel(group.get("funnel"), groups.get(key), what + " group " + key);
                    }
                }
            }
        }
    }

    /** A few of the figures above, written out: the oracle's arithmetic checked by hand. */
    @Test
    void theFiguresOfEachKindOfScopeAsWorkedOutByHand() throws Exception {
        JsonNode repA = TestHttp.get(query("/api/v1/funnel"), TOKENS.get("rep-a")).json();
        assertThat(currents(repA)).containsExactly(1L, 0L, 1L, 0L, 0L, 1L); // c2; c1; c3 won
        assertThat(reached(repA)).containsExactly(3L, 2L, 2L, 1L, 1L, 1L);
        assertThat(repA.get("won").asLong()).isEqualTo(1);
        assertThat(repA.get("winRate").asDouble()).isEqualTo(1.0);
        assertThat(repA.get("stages").get(0).get("avgDaysInStage").asDouble()).isCloseTo(5.0, within(1e-9));

        JsonNode supervisor = TestHttp.get(query("/api/v1/funnel"), TOKENS.get("sup-1")).json(); // c1-c4, c7
        assertThat(currents(supervisor)).containsExactly(1L, 0L, 3L, 0L, 0L, 1L);
        assertThat(supervisor.get("stages").get(0).get("avgDaysInStage").asDouble())
                .isCloseTo((2 + 8 + 2 + 6) / 4.0, within(1e-9));

        JsonNode director = TestHttp.get(query("/api/v1/funnel"), TOKENS.get("dir-east")).json(); // c1 c2 c4 c5 c7
        assertThat(currents(director)).containsExactly(1L, 0L, 3L, 0L, 0L, 0L);
        assertThat(director.get("lost").asLong()).isEqualTo(1);
        assertThat(director.get("winRate").asDouble()).isEqualTo(0.0);

        JsonNode repC = TestHttp.get(query("/api/v1/funnel"), TOKENS.get("rep-c")).json(); // c5 lost, c6
        assertThat(currents(repC)).containsExactly(0L, 1L, 0L, 0L, 0L, 0L);
        assertThat(repC.get("lost").asLong()).isEqualTo(1);

        JsonNode colleague = TestHttp.get(query("/api/v1/funnel?rep=rep-b"), TOKENS.get("rep-a")).json();
        assertThat(currents(colleague)).as("a colleague's customers count nowhere").containsOnly(0L);
        assertThat(TestHttp.get(query("/api/v1/funnel?groupBy=rep"), TOKENS.get("rep-a")).json().get("groups"))
                .extracting(g -> g.get("key").asText()).containsExactly("rep-a");
    }

    @Test
    void theAnalystsFunnelIsTheAdminsFunnel() throws Exception {
        for (Question q : QUESTIONS) {
            assertThat(TestHttp.get(query("/api/v1/funnel" + q.query()), TOKENS.get("ana")).json())
                    .as(q.query()).isEqualTo(TestHttp.get(query("/api/v1/funnel" + q.query()),
                            TOKENS.get("admin")).json());
        }
    }

    // ---- the work lists ----

    @Test
    void theStalledListHoldsOnlyTheCallersOpenCustomersOldestFirstAndTheLimitCountsOnlyThem() throws Exception {
        for (Map.Entry<String, Predicate<C>> caller : SEES.entrySet()) {
            List<String> expected = CUSTOMERS.stream().filter(caller.getValue()).filter(C::open)
                    .sorted(Comparator.comparing(C::enteredStage).thenComparing(C::id)).map(C::id).toList();
            if (caller.getKey().equals("ana")) {
                assertThat(TestHttp.get(query("/api/v1/stalled?olderThan=P1D"), TOKENS.get("ana")).status())
                        .as("no customer list for an analyst").isEqualTo(403);
                continue;
            }
            assertThat(ids(list("/api/v1/stalled?olderThan=P1D", caller.getKey()))).as(caller.getKey())
                    .containsExactlyElementsOf(expected);
            assertThat(ids(list("/api/v1/stalled?olderThan=P1D&limit=1", caller.getKey())))
                    .as(caller.getKey() + " limit 1").containsExactlyElementsOf(expected.subList(0, 1));
            assertThat(ids(list("/api/v1/stalled?olderThan=P1D&stage=PROPOSAL_SENT&region=east", caller.getKey())))
                    .as(caller.getKey() + " east proposals").containsExactlyElementsOf(CUSTOMERS.stream()
                            .filter(caller.getValue()).filter(c -> c.stage().equals("PROPOSAL_SENT"))
                            .filter(c -> c.region().equals("east"))
                            .sorted(Comparator.comparing(C::enteredStage)).map(C::id).toList());
        }
        assertThat(ids(list("/api/v1/stalled?olderThan=P1D", "sup-1"))).containsExactly("c2", "c1", "c4", "c7");
        assertThat(ids(list("/api/v1/stalled?olderThan=P1D&rep=rep-c", "sup-1"))).isEmpty();
    }

    @Test
    void theIdleListHoldsOnlyTheCallersCustomers() throws Exception {
        // nobody acted on any customer since 2025, and a reassignment is no action on it
        Map<String, String> lastAction = Map.of("c1", "2025-03-07T09:00:00Z", "c2", "2025-03-04T09:00:00Z",
                "c3", "2025-04-10T09:00:00Z", "c4", "2025-03-12T09:00:00Z", "c5", "2025-03-15T09:00:00Z",
                "c6", "2025-04-06T09:00:00Z", "c7", "2025-03-26T09:00:00Z");
        for (Map.Entry<String, Predicate<C>> caller : SEES.entrySet()) {
            if (caller.getKey().equals("ana")) {
                continue;
            }
            List<String> open = CUSTOMERS.stream().filter(caller.getValue()).filter(C::open)
                    .sorted(Comparator.comparing((C c) -> lastAction.get(c.id()))).map(C::id).toList();
            List<String> all = CUSTOMERS.stream().filter(caller.getValue())
                    .sorted(Comparator.comparing((C c) -> lastAction.get(c.id()))).map(C::id).toList();
            assertThat(ids(list("/api/v1/idle?days=7", caller.getKey()))).as(caller.getKey())
                    .containsExactlyElementsOf(open);
            assertThat(ids(list("/api/v1/idle?days=7&includeClosed=true&limit=2", caller.getKey())))
                    .as(caller.getKey() + " with closed, limit 2")
                    .containsExactlyElementsOf(all.subList(0, Math.min(2, all.size())));
        }
        assertThat(ids(list("/api/v1/idle?days=7", "rep-b"))).containsExactly("c4", "c7");
    }

    // ---- one customer's stages ----

    @Test
    void aCustomerOutsideTheScopeHasNoStagesExactlyLikeAnUnknownOne() throws Exception {
        for (Map.Entry<String, Predicate<C>> caller : SEES.entrySet()) {
            if (caller.getKey().equals("ana")) {
                assertThat(TestHttp.get(query("/api/v1/customers/c1/stages"), TOKENS.get("ana")).status())
                        .isEqualTo(403);
                continue;
            }
            for (C c : CUSTOMERS) {
                Response stages = TestHttp.get(query("/api/v1/customers/" + c.id() + "/stages"),
                        TOKENS.get(caller.getKey()));
                String what = caller.getKey() + " asking the stages of " + c.id();
                if (caller.getValue().test(c)) {
                    assertThat(stages.status()).as(what).isEqualTo(200);
                    assertThat(stages.json().get("stages").get(stages.json().get("stages").size() - 1)
                            .get("stage").asText()).as(what).isEqualTo(c.stage());
                } else {
                    Response unknown = TestHttp.get(query("/api/v1/customers/nobody/stages"),
                            TOKENS.get(caller.getKey()));
                    assertThat(stages.status()).as(what).isEqualTo(404);
                    assertThat(stages.body().replace(c.id(), "nobody")).as(what).isEqualTo(unknown.body());
                }
            }
        }
        assertThat(TestHttp.get(query("/api/v1/customers/c7/stages"), TOKENS.get("rep-c")).status())
                .as("reassigned away from rep-c").isEqualTo(404);
        assertThat(TestHttp.get(query("/api/v1/customers/c7/stages"), TOKENS.get("rep-b")).status())
                .as("reassigned to rep-b").isEqualTo(200);
        assertThat(TestHttp.get(query("/api/v1/customers/c4/stages"), TOKENS.get("rep-a")).status())
                .as("a colleague's customer").isEqualTo(404);
    }

    // ---- the independent count ----

    private static void assertFunnel(JsonNode funnel, List<C> customers, String what) {
        assertThat(funnel).as(what).isNotNull();
        for (int rank = 0; rank < STAGES.size(); rank++) {
            String stage = STAGES.get(rank);
            int r = rank;
            JsonNode figures = funnel.get("stages").get(rank);
            String at = what + " " + stage;
            assertThat(figures.get("stage").asText()).as(at).isEqualTo(stage);
            assertThat(figures.get("current").asLong()).as(at + " current")
                    .isEqualTo(customers.stream().filter(c -> c.stage().equals(stage)).count());
            long reached = customers.stream().filter(c -> c.furthest() >= r).count();
            assertThat(figures.get("reached").asLong()).as(at + " reached").isEqualTo(reached);
            long next = customers.stream().filter(c -> c.furthest() >= r + 1).count();
            if (rank + 1 < STAGES.size() && reached > 0) {
                assertThat(figures.get("conversionToNext").asDouble()).as(at + " conversion")
                        .isCloseTo((double) next / reached, within(1e-9));
            } else {
                assertThat(figures.get("conversionToNext").isNull()).as(at + " conversion").isTrue();
            }
            var days = customers.stream().filter(c -> c.daysIn().containsKey(stage))
                    .mapToDouble(c -> c.daysIn().get(stage)).average();
            if (days.isPresent()) {
                assertThat(figures.get("avgDaysInStage").asDouble()).as(at + " avgDaysInStage")
                        .isCloseTo(days.getAsDouble(), within(1e-6));
            } else {
                assertThat(figures.get("avgDaysInStage").isNull()).as(at + " avgDaysInStage").isTrue();
            }
        }
        long won = customers.stream().filter(c -> c.stage().equals("CONTRACT_SIGNED")).count();
        long lost = customers.stream().filter(c -> c.stage().equals("LOST")).count();
        assertThat(funnel.get("won").asLong()).as(what + " won").isEqualTo(won);
        assertThat(funnel.get("lost").asLong()).as(what + " lost").isEqualTo(lost);
        if (won + lost == 0) {
            assertThat(funnel.get("winRate").isNull()).as(what + " winRate").isTrue();
        } else {
            assertThat(funnel.get("winRate").asDouble()).as(what + " winRate")
                    .isCloseTo((double) won / (won + lost), within(1e-9));
        }
    }

    private static boolean sameBreakdown(JsonNode answer, List<C> customers, Function<C, String> by) {
        try {
            Map<String, List<C>> groups = new TreeMap<>();
            customers.forEach(c -> groups.computeIfAbsent(by.apply(c), k -> new ArrayList<>()).add(c));
            for (JsonNode group : answer.get("groups")) {
                assertFunnel(group.get("funnel"), groups.get(group.get("key").asText()), "waiting");
            }
            return true;
        } catch (AssertionError | NullPointerException notYet) {
            return false;
        }
    }

    // ---- helpers ----

    private static List<Long> currents(JsonNode funnel) {
        List<Long> figures = new ArrayList<>();
        funnel.get("stages").forEach(s -> figures.add(s.get("current").asLong()));
        return figures;
    }

    private static List<Long> reached(JsonNode funnel) {
        List<Long> figures = new ArrayList<>();
        funnel.get("stages").forEach(s -> figures.add(s.get("reached").asLong()));
        return figures;
    }

    private static JsonNode list(String path, String caller) throws Exception {
        Response answer = TestHttp.get(query(path), TOKENS.get(caller));
        assertThat(answer.status()).as(caller + " " + path + ": " + answer).isEqualTo(200);
        return answer.json();
    }

    private static List<String> ids(JsonNode workList) {
        List<String> ids = new ArrayList<>();
        workList.get("customers").forEach(c -> ids.add(c.get("customerId").asText()));
        return ids;
    }

    private static void user(String id, String definition) {
        TOKENS.put(id, TestHttp.userToken(system.commandPort(), id, definition));
    }

    private static void register(String id, String region, String owner, String team, String channel, String time)
            throws Exception {
        act(id, "CustomerRegistered", time, owner, "{\"name\":\"Customer " + id + "\",\"region\":\"" + region
                + "\",\"ownerRepId\":\"" + owner + "\",\"channel\":\"" + channel + "\",\"team\":\"" + team + "\"}");
    }

    private static void act(String customer, String type, String time, String actor, String data) throws Exception {
        Response accepted = TestHttp.post(command("/api/v1/actions"),
                TestHttp.envelope(customer + "-" + type, type, customer, time, actor, data));
        assertThat(accepted.status()).as(customer + " " + type + ": " + accepted).isEqualTo(202);
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }
}
