package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;

/**
 * Issue 18, end to end: an incentive plan published through the command side ({@code PUT /api/v1/rules/{id}}, kind
 * {@code INCENTIVE}) changes the query side's health answers for a past period at once, each answer naming the plan
 * it used; retiring it brings the contract's defaults back; and the incentive dry run compares a draft with the
 * published plan. As a director of the rep's region, against the whole system.
 *
 * <p>April 2025, rep-9 (east), customer e1 registered in March: a visit on the 2nd; messages on the 3rd, 4th and
 * 5th, the first read on the 3rd two hours later; contract K9 on the 10th, 1,000 CNY, one line 1 × 1000 at 40 %
 * margin, one department. Under the defaults: new customer 1/1 (met, 2.5), high margin 1/1 (met, 1.5), cross
 * department 0 (not met), follow-up 1/1 (the read receipt followed by the second message within 48 h: met, 1.2),
 * completion 1/3 (not met against 0.50), task closure 1/1 (met, 1.2): score 6.4, rate 0.05 + 0.064 = 0.114,
 * incentive 114.00 CNY. The published plan lowers completion's target to 0.3: met, +2.0 points, score 8.4, rate
 * 0.134, incentive 134.00 CNY.
 */
class HealthPlanEndToEndIT {

    private static final String APRIL = "from=2025-04-01&to=2025-05-01";
    private static final String PLAN = """
            {"kind": "INCENTIVE", "description": "completion counts from 30 %",
             "targets": {"customerActionCompletionRate": {"target": 0.3}}}""";

    @TempDir
    static Path dataDir;

    static EmbeddedSystem system;
    static String admin;
    static String director;

    @BeforeAll
    static void start() throws Exception {
        system = EmbeddedSystem.start(TestSystems.settings(dataDir));
        admin = TestSystems.signIn(system);
        TestHttp.userToken(system.commandPort(), "rep-9",
                "{\"name\":\"Rep 9\",\"roles\":[\"rep\"],\"region\":\"east\",\"team\":\"t-east\"}");
        director = TestHttp.userToken(system.commandPort(), "dir-east",
                "{\"name\":\"Director East\",\"roles\":[\"director\"],\"region\":\"east\"}");
        post("e1-reg", "CustomerRegistered", "2025-03-20T09:00:00Z",
                "{\"name\":\"E1\",\"region\":\"east\",\"ownerRepId\":\"rep-9\",\"channel\":\"web\"}");
        post("e1-v", "VisitLogged", "2025-04-02T10:00:00Z",
                "{\"contactRole\":\"buyer\",\"location\":{\"lat\":31.2,\"lon\":121.5}}");
        post("e1-m1", "MessageSent", "2025-04-03T10:00:00Z", "{\"channel\":\"wechat\",\"summary\":\"price list\"}");
        post("e1-read", "CustomerActionObserved", "2025-04-03T12:00:00Z",
                "{\"kind\":\"message_read\",\"refActionId\":\"e1-m1\"}");
        post("e1-m2", "MessageSent", "2025-04-04T10:00:00Z", "{\"channel\":\"email\",\"summary\":\"references\"}");
        post("e1-m3", "MessageSent", "2025-04-05T10:00:00Z", "{\"channel\":\"email\",\"summary\":\"a reminder\"}");
        post("K9", "ContractSigned", "2025-04-10T10:00:00Z",
                "{\"contractId\":\"K9\",\"amount\":{\"value\":\"1000\",\"currency\":\"CNY\"},\"lines\":["
                        + "{\"product\":\"a\",\"quantity\":1,\"unitPrice\":\"1000\",\"grossMarginPct\":40}],"
                        + "\"departments\":[\"sales\"]}");
        eventually(query("/api/v1/reps/rep-9/health?" + APRIL), director,
                r -> r.status() == 200 && r.json().at("/metrics/customerActionCompletionRate/denominator").asInt() == 3
                        && r.json().at("/metrics/followUpTimeliness/denominator").asInt() == 1
                        && r.json().at("/incentive/0/revenue").asText().equals("1000"),
                Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aPublishedPlanChangesAPastMonthsAnswerAtOnce_andRetiringItBringsTheDefaultsBack() throws Exception {
        JsonNode before = health();
        assertThat(before.at("/plan/version").asInt()).isZero();
        assertThat(before.at("/plan/ruleId").isNull()).isTrue();
        JsonNode completion = before.at("/metrics/customerActionCompletionRate");
        assertThat(completion.get("numerator").asInt()).isEqualTo(1);
        assertThat(completion.get("denominator").asInt()).isEqualTo(3);
        assertThat(completion.get("target").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(completion.get("met").asBoolean()).isFalse();
        assertThat(completion.at("/evidence/actionIds")).extracting(JsonNode::asText).containsExactly("e1-m1");
        assertThat(before.at("/metrics/followUpTimeliness/met").asBoolean()).isTrue();
        assertThat(before.at("/metrics/taskClosureRate/met").asBoolean()).isTrue();
        assertThat(before.get("score").decimalValue()).isEqualByComparingTo("6.4");
        assertThat(before.at("/incentive/0/rate").decimalValue()).isEqualByComparingTo("0.114");
        assertThat(before.at("/incentive/0/amount").decimalValue()).isEqualByComparingTo("114.00");

        Response published = send(director, "PUT", command("/api/v1/rules/plan-e2e"), PLAN);
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        assertThat(published.json().get("version").asInt()).isEqualTo(1);

        Response under = eventually(query("/api/v1/reps/rep-9/health?" + APRIL), director,
                r -> r.status() == 200 && r.json().at("/plan/version").asInt() == 1, Duration.ofSeconds(60));
        JsonNode after = under.json();
        assertThat(after.at("/plan/ruleId").asText()).isEqualTo("plan-e2e");
        completion = after.at("/metrics/customerActionCompletionRate");
        assertThat(completion.get("target").decimalValue()).isEqualByComparingTo("0.3");
        assertThat(completion.get("met").asBoolean()).isTrue();
        assertThat(completion.get("points").decimalValue()).isEqualByComparingTo("2.0");
        assertThat(after.get("score").decimalValue()).isEqualByComparingTo("8.4");
        assertThat(after.at("/incentive/0/bonusPoints").decimalValue()).isEqualByComparingTo("8.4");
        assertThat(after.at("/incentive/0/rate").decimalValue()).isEqualByComparingTo("0.134");
        assertThat(after.at("/incentive/0/amount").decimalValue()).isEqualByComparingTo("134.00");
        // the facts did not change, only the plan: every other metric as before
        for (String metric : new String[]{"newCustomerShare", "crossDepartmentDeals", "followUpTimeliness",
                "taskClosureRate"}) {
            assertThat(after.at("/metrics/" + metric)).as(metric).isEqualTo(before.at("/metrics/" + metric));
        }

        // the dry run of a draft against the plan now in force: baseRate 0.1 with the default targets
        // current: 1,000 × 0.134 = 134.00; draft: 1,000 × (0.1 + 0.064) = 164.00
        Response dryRun = send(director, "POST", query("/api/v1/health/incentive/dry-run"),
                "{\"plan\":{\"kind\":\"INCENTIVE\",\"baseRate\":0.1},\"from\":\"2025-04-01\",\"to\":\"2025-05-01\"}");
        assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(200);
        assertThat(dryRun.json().at("/current/ruleId").asText()).isEqualTo("plan-e2e");
        assertThat(dryRun.json().at("/current/version").asInt()).isEqualTo(1);
        assertThat(dryRun.json().get("reps")).extracting(r -> r.get("repId").asText()).containsExactly("rep-9");
        assertThat(dryRun.json().at("/reps/0/difference/0").toString())
                .isEqualTo("{\"currency\":\"CNY\",\"current\":134.00,\"draft\":164.00,\"difference\":30.00}");
        assertThat(dryRun.json().at("/total/0").toString())
                .isEqualTo("{\"currency\":\"CNY\",\"current\":134.00,\"draft\":164.00,\"difference\":30.00}");

        Response retired = send(director, "DELETE", command("/api/v1/rules/plan-e2e"), null);
        assertThat(retired.status()).as(retired.body()).isEqualTo(200);
        Response back = eventually(query("/api/v1/reps/rep-9/health?" + APRIL), director,
                r -> r.status() == 200 && r.json().at("/plan/version").asInt() == 0, Duration.ofSeconds(60));
        assertThat(back.json().at("/plan/ruleId").isNull()).isTrue();
        assertThat(back.json()).isEqualTo(before);
        assertThat(send(admin, "GET", query("/api/v1/reps/rep-9/health?" + APRIL), null).json()).isEqualTo(before);
    }

    /** Asks as the director until {@code done} holds or {@code timeout} passes; the last answer either way. */
    private static Response eventually(URI uri, String token, java.util.function.Predicate<Response> done,
                                       Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = TestHttp.get(uri, token);
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            last = TestHttp.get(uri, token);
        }
        return last;
    }

    private static JsonNode health() throws Exception {
        Response answer = TestHttp.get(query("/api/v1/reps/rep-9/health?" + APRIL), director);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static void post(String id, String type, String time, String data) throws Exception {
        Response answer = send(admin, "POST", command("/api/v1/actions"),
                TestHttp.envelope(id, type, "e1", time, "rep-9", data));
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    }

    private static Response send(String token, String method, URI uri, String body) throws Exception {
        return body == null ? TestHttp.sendAs(token, method, uri, "")
                : TestHttp.sendAs(token, method, uri, body, "Content-Type", "application/json");
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }
}
