package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;

/**
 * Rep health over HTTP (contract §8, docs/health.md), against the real system: the answer's exact shape for a month
 * worked out by hand, the scope over reps (404 outside it), the evidence pages, the monthly history, the ranking by
 * rep, team and region, the incentive dry run, refusals naming the parameter, and the same answer after a rebuild.
 *
 * <p>March 2025. rep-1 (east, team t-east, supervisor sup-1): customer h1 — a visit on the 2nd, a proposal on the
 * 5th read on the 6th (a signal never followed within 48 h), contract K1 on the 10th, 1,000 CNY, lines 2 × 300 at
 * 40 % and 1 × 400 at 10 %, departments sales and service. rep-2 (west, team t-west, supervisor sup-2): customer h2,
 * contract K2 on the 12th, 500 USD without lines. rep-3 (east, t-east, sup-1): nothing.
 */
class HealthApiIT {

    private static final String MARCH = "from=2025-03-01&to=2025-04-01";

    @TempDir
    static Path dataDir;

    static EmbeddedSystem system;
    static final Map<String, String> tokens = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        system = EmbeddedSystem.start(TestSystems.settings(dataDir));
        tokens.put("admin", TestSystems.signIn(system));
        user("sup-1", "supervisor", "east", null, "t-east");
        user("sup-2", "supervisor", "west", null, "t-west");
        user("rep-1", "rep", "east", "sup-1", "t-east");
        user("rep-3", "rep", "east", "sup-1", "t-east");
        user("rep-2", "rep", "west", "sup-2", "t-west");
        user("dir-east", "director", "east", null, null);
        user("analyst-1", "analyst", null, null, null);
        post("h1-reg", "CustomerRegistered", "h1", "2025-02-20T09:00:00Z", "rep-1",
                "{\"name\":\"H1\",\"region\":\"east\",\"ownerRepId\":\"rep-1\",\"channel\":\"web\"}");
        post("v1", "VisitLogged", "h1", "2025-03-02T10:00:00Z", "rep-1",
                "{\"contactRole\":\"buyer\",\"location\":{\"lat\":31.2,\"lon\":121.5}}");
        post("p1", "ProposalSent", "h1", "2025-03-05T10:00:00Z", "rep-1",
                "{\"document\":{\"uri\":\"s3://p.pdf\",\"mediaType\":\"application/pdf\"},"
                        + "\"expectedDecisionDate\":\"2025-04-01\",\"keyParameters\":[\"a\",\"b\",\"c\"]}");
        post("read-1", "CustomerActionObserved", "h1", "2025-03-06T10:00:00Z", "rep-1",
                "{\"kind\":\"message_read\",\"refActionId\":\"p1\"}");
        post("K1", "ContractSigned", "h1", "2025-03-10T10:00:00Z", "rep-1",
                "{\"contractId\":\"K1\",\"amount\":{\"value\":\"1000\",\"currency\":\"CNY\"},\"lines\":["
                        + "{\"product\":\"a\",\"quantity\":2,\"unitPrice\":\"300\",\"grossMarginPct\":40},"
                        + "{\"product\":\"b\",\"quantity\":1,\"unitPrice\":\"400\",\"grossMarginPct\":10}],"
                        + "\"departments\":[\"sales\",\"service\"]}");
        post("h2-reg", "CustomerRegistered", "h2", "2025-02-20T09:00:00Z", "rep-2",
                "{\"name\":\"H2\",\"region\":\"west\",\"ownerRepId\":\"rep-2\",\"channel\":\"web\"}");
        post("K2", "ContractSigned", "h2", "2025-03-12T10:00:00Z", "rep-2",
                "{\"contractId\":\"K2\",\"amount\":{\"value\":\"500.00\",\"currency\":\"USD\"}}");
        TestHttp.eventually(query("/api/v1/reps/rep-2/health?" + MARCH),
                r -> r.status() == 200 && r.json().at("/incentive/0/revenue").asText().equals("500"),
                Duration.ofSeconds(120));
        TestHttp.eventually(query("/api/v1/reps/rep-1/health?" + MARCH),
                r -> r.status() == 200 && r.json().at("/metrics/taskClosureRate/value").asText().equals("1"),
                Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    private static final String REP_1_MARCH = "{\"repId\":\"rep-1\",\"from\":\"2025-03-01\",\"to\":\"2025-04-01\","
            + "\"plan\":{\"ruleId\":null,\"version\":0},\"metrics\":{"
            + "\"newCustomerShare\":{\"value\":1,\"numerator\":1,\"denominator\":1,\"target\":0.35,\"met\":true,"
            + "\"points\":2.5,\"evidence\":{\"count\":1,\"actionIds\":[\"K1\"]}},"
            + "\"highMarginShare\":{\"target\":0.4,\"byCurrency\":[{\"currency\":\"CNY\",\"value\":0.6,"
            + "\"numerator\":600,\"denominator\":1000,\"met\":true,\"points\":1.5,"
            + "\"evidence\":{\"count\":1,\"actionIds\":[\"K1\"]}}]},"
            + "\"crossDepartmentDeals\":{\"value\":1,\"numerator\":1,\"denominator\":1,\"target\":2,\"met\":false,"
            + "\"points\":0,\"evidence\":{\"count\":1,\"actionIds\":[\"K1\"]}},"
            + "\"followUpTimeliness\":{\"value\":0,\"numerator\":0,\"denominator\":1,\"target\":0.8,\"met\":false,"
            + "\"points\":0,\"evidence\":{\"count\":0,\"actionIds\":[]}},"
            + "\"customerActionCompletionRate\":{\"value\":1,\"numerator\":1,\"denominator\":1,\"target\":0.5,"
            + "\"met\":true,\"points\":2,\"evidence\":{\"count\":1,\"actionIds\":[\"p1\"]}},"
            + "\"taskClosureRate\":{\"value\":1,\"numerator\":1,\"denominator\":1,\"target\":0.6,\"met\":true,"
            + "\"points\":1.2,\"evidence\":{\"count\":1,\"actionIds\":[\"v1\"]}}},"
            + "\"incentive\":[{\"currency\":\"CNY\",\"revenue\":1000,\"baseRate\":0.05,\"bonusPoints\":7.2,"
            + "\"rate\":0.122,\"amount\":122.00}],\"score\":7.2}";

    @Test
    void aRepsMonthIsAnsweredInTheContractsShapeWithTheNumbersWorkedOutByHand() throws Exception {
        Response answer = get("rep-1", "/api/v1/reps/rep-1/health?" + MARCH);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(new Response(200, REP_1_MARCH).json());
        JsonNode rep2 = get("analyst-1", "/api/v1/reps/rep-2/health?" + MARCH).json();
        assertThat(rep2.at("/metrics/highMarginShare/byCurrency")).isEmpty();
        assertThat(rep2.at("/metrics/followUpTimeliness/value").isNull()).isTrue();
        assertThat(rep2.at("/incentive/0/amount").decimalValue()).isEqualByComparingTo("37.50"); // 500 × 0.075
    }

    @Test
    void eachCallerSeesTheRepsOfItsScope_andAnyOtherRepIsNotFound() throws Exception {
        Map<String, List<String>> sees = new LinkedHashMap<>();
        sees.put("rep-1", List.of("rep-1"));
        sees.put("sup-1", List.of("rep-1", "rep-3", "sup-1"));
        sees.put("dir-east", List.of("rep-1", "rep-3", "sup-1"));
        sees.put("analyst-1", List.of("rep-1", "rep-2", "rep-3", "sup-1"));
        sees.put("admin", List.of("rep-1", "rep-2", "rep-3", "sup-1"));
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, List<String>> caller : sees.entrySet()) {
            for (String rep : List.of("rep-1", "rep-2", "rep-3", "sup-1")) {
                int expected = caller.getValue().contains(rep) ? 200 : 404;
                for (String path : List.of("/health?", "/health/evidence?metric=newCustomerShare&",
                        "/health/history?months=2&")) {
                    Response r = get(caller.getKey(), "/api/v1/reps/" + rep + path + "x=1");
                    if (r.status() != expected) {
                        wrong.add(caller.getKey() + " " + rep + path + ": " + r.status() + " not " + expected);
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
        // the same rep's figures whoever asks
        assertThat(get("sup-1", "/api/v1/reps/rep-1/health?" + MARCH).json())
                .isEqualTo(get("rep-1", "/api/v1/reps/rep-1/health?" + MARCH).json());
    }

    @Test
    void theEvidencePagesThroughEveryIdOfOneMetric_andBadParametersAreRefusedByName() throws Exception {
        JsonNode page = get("rep-1", "/api/v1/reps/rep-1/health/evidence?metric=highMarginShare&currency=CNY&"
                + MARCH).json();
        assertThat(page.get("count").asLong()).isEqualTo(1);
        assertThat(page.get("actionIds")).extracting(JsonNode::asText).containsExactly("K1");
        assertThat(page.has("next")).isFalse();
        assertThat(get("rep-1", "/api/v1/reps/rep-1/health/evidence?metric=taskClosureRate&" + MARCH).json()
                .get("actionIds")).extracting(JsonNode::asText).containsExactly("v1");
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("/api/v1/reps/rep-1/health/evidence?metric=speed", "metric");
        refused.put("/api/v1/reps/rep-1/health/evidence", "metric");
        refused.put("/api/v1/reps/rep-1/health/evidence?metric=taskClosureRate&currency=CNY", "currency");
        refused.put("/api/v1/reps/rep-1/health/evidence?metric=taskClosureRate&limit=0", "limit");
        refused.put("/api/v1/reps/rep-1/health?from=March", "from");
        refused.put("/api/v1/reps/rep-1/health?from=2025-04-01&to=2025-03-01", "to");
        refused.put("/api/v1/reps/rep-1/health/history?months=0", "months");
        refused.put("/api/v1/reps/rep-1/health/history?months=37", "months");
        refused.put("/api/v1/health?groupBy=planet", "groupBy");
        for (Map.Entry<String, String> r : refused.entrySet()) {
            Response answer = get("rep-1", r.getKey());
            assertThat(answer.status()).as(r.getKey()).isEqualTo(400);
            assertThat(answer.json().at("/errors/0/field").asText()).as(r.getKey()).isEqualTo(r.getValue());
        }
    }

    @Test
    void theHistoryHasOnePointPerMonthEndingWithTheCurrentOne() throws Exception {
        YearMonth before = YearMonth.now(ZoneOffset.UTC);
        JsonNode history = get("rep-1", "/api/v1/reps/rep-1/health/history?months=3").json();
        YearMonth after = YearMonth.now(ZoneOffset.UTC);
        List<String> months = new ArrayList<>();
        history.get("months").forEach(m -> months.add(m.get("month").asText()));
        assertThat(months).hasSize(3);
        assertThat(months.get(2)).isIn(before.toString(), after.toString());
        assertThat(YearMonth.parse(months.get(0)).plusMonths(2).toString()).isEqualTo(months.get(2));
        assertThat(get("rep-1", "/api/v1/reps/rep-1/health/history").json().get("months")).hasSize(12);
        // March 2025 lies within 36 months of the current month only until early 2028; its point is the month's answer
        int back = (int) java.time.temporal.ChronoUnit.MONTHS.between(YearMonth.of(2025, 3), after) + 1;
        if (back <= 36) {
            JsonNode all = get("rep-1", "/api/v1/reps/rep-1/health/history?months=" + back).json();
            JsonNode march = all.get("months").get(0);
            assertThat(march.get("month").asText()).isEqualTo("2025-03");
            assertThat(march.get("score").decimalValue()).isEqualByComparingTo("7.2");
            assertThat(march.at("/incentive/0/amount").decimalValue()).isEqualByComparingTo("122.00");
        }
    }

    @Test
    void theRankingOrdersGroupsByScoreWithinTheCallersScope() throws Exception {
        JsonNode byRep = get("analyst-1", "/api/v1/health?groupBy=rep&" + MARCH).json();
        assertThat(byRep.get("groups")).extracting(g -> g.get("rank").asInt() + " " + g.get("key").asText() + " "
                + g.get("score").asText()).containsExactly("1 rep-1 7.2", "2 rep-2 2.5", "3 rep-3 0");
        JsonNode byTeam = get("analyst-1", "/api/v1/health?groupBy=team&" + MARCH).json();
        assertThat(byTeam.get("groups")).extracting(g -> g.get("key").asText() + " " + g.get("reps"))
                .containsExactly("t-east [\"rep-1\",\"rep-3\"]", "t-west [\"rep-2\"]");
        // t-east pools rep-1 and rep-3: the same numerators and denominators as rep-1's alone
        assertThat(byTeam.at("/groups/0/metrics/newCustomerShare/value").asText()).isEqualTo("1");
        assertThat(byTeam.at("/groups/0/incentive/0/amount").decimalValue()).isEqualByComparingTo("122.00");
        JsonNode supervisor = get("sup-1", "/api/v1/health?" + MARCH).json();
        assertThat(supervisor.get("groups")).extracting(g -> g.get("key").asText())
                .containsExactly("rep-1", "rep-3", "sup-1");
        JsonNode byRegion = get("dir-east", "/api/v1/health?groupBy=region&" + MARCH).json();
        assertThat(byRegion.get("groups")).extracting(g -> g.get("key").asText()).containsExactly("east");
        assertThat(get("rep-2", "/api/v1/health?" + MARCH).json().get("groups"))
                .extracting(g -> g.get("key").asText()).containsExactly("rep-2");
    }

    @Test
    void theDryRunComparesEachRepsIncentiveUnderTheCurrentAndTheDraftPlan() throws Exception {
        Response answer = TestHttp.sendAs(tokens.get("analyst-1"), "POST", query("/api/v1/health/incentive/dry-run"),
                "{\"plan\":{\"kind\":\"INCENTIVE\",\"baseRate\":0.1},\"from\":\"2025-03-01\",\"to\":\"2025-04-01\"}",
                "Content-Type", "application/json");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode reps = answer.json().get("reps");
        assertThat(reps).extracting(r -> r.get("repId").asText()).containsExactly("rep-1", "rep-2");
        // rep-1: 1,000 CNY × (0.05 + 0.072) → × (0.1 + 0.072); rep-2: 500 USD × 0.075 → × 0.125
        assertThat(reps.get(0).at("/difference/0").toString())
                .isEqualTo("{\"currency\":\"CNY\",\"current\":122.00,\"draft\":172.00,\"difference\":50.00}");
        assertThat(reps.get(1).at("/difference/0").toString())
                .isEqualTo("{\"currency\":\"USD\",\"current\":37.50,\"draft\":62.50,\"difference\":25.00}");
        assertThat(reps.get(1).at("/draft/0/rate").decimalValue()).isEqualByComparingTo("0.125");

        Response refused = TestHttp.sendAs(tokens.get("analyst-1"), "POST", query("/api/v1/health/incentive/dry-run"),
                "{\"plan\":{\"kind\":\"INCENTIVE\",\"baseRate\":2,\"targets\":{\"newCustomerShare\":"
                        + "{\"points\":\"many\"}}}}", "Content-Type", "application/json");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("plan.baseRate", "plan.targets.newCustomerShare.points");
        Response noPlan = TestHttp.sendAs(tokens.get("analyst-1"), "POST", query("/api/v1/health/incentive/dry-run"),
                "{}", "Content-Type", "application/json");
        assertThat(noPlan.json().at("/errors/0/field").asText()).isEqualTo("plan");
        assertThat(TestHttp.sendAs(tokens.get("rep-1"), "POST", query("/api/v1/health/incentive/dry-run"),
                "{\"plan\":{\"kind\":\"INCENTIVE\"}}", "Content-Type", "application/json").status()).isEqualTo(403);
    }

    @Test
    void aRebuildGivesTheSameAnswers() throws Exception {
        String before = get("analyst-1", "/api/v1/health?groupBy=rep&" + MARCH).body();
        Response started = TestHttp.sendAs(tokens.get("admin"), "POST", query("/api/v1/admin/rebuilds/health"), "");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        Response ended = TestHttp.eventually(query("/api/v1/admin/rebuilds/health"),
                r -> r.json().path("state").asText().matches("DONE|FAILED"), Duration.ofSeconds(120));
        assertThat(ended.json().path("state").asText()).as(ended.body()).isEqualTo("DONE");
        assertThat(get("analyst-1", "/api/v1/health?groupBy=rep&" + MARCH).body()).isEqualTo(before);
        assertThat(get("rep-1", "/api/v1/reps/rep-1/health?" + MARCH).json()).isEqualTo(new Response(200, REP_1_MARCH).json());
    }

    private static void user(String id, String role, String region, String supervisor, String team) {
        tokens.put(id, TestHttp.userToken(system.commandPort(), id, "{\"name\":\"" + id + "\",\"roles\":[\"" + role
                + "\"]" + (region == null ? "" : ",\"region\":\"" + region + "\"")
                + (team == null ? "" : ",\"team\":\"" + team + "\"")
                + (supervisor == null ? "" : ",\"supervisorId\":\"" + supervisor + "\"") + "}"));
    }

    private static void post(String id, String type, String customer, String time, String actor, String data)
            throws Exception {
        Response answer = TestHttp.sendAs(tokens.get("admin"), "POST", command("/api/v1/actions"),
                TestHttp.envelope(id, type, customer, time, actor, data), "Content-Type", "application/json");
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    }

    private static Response get(String caller, String path) throws Exception {
        return TestHttp.get(query(path), tokens.get(caller));
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }
}
