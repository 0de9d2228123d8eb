package org.salesledger.command.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
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
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The incentive plan as a rule of kind {@code INCENTIVE} (contract §8) over the rules API of contract §6, as a
 * director and as an admin: validated field by field, versioned and retired like any rule, at most one active at a
 * time, ignored by the evaluators and the timers, and refused by the rules' dry run (its own is the query side's).
 * Each test publishes plans of its own ids and retires them before it ends.
 */
class IncentiveRuleIT {

    static final String PLAN = """
            {"kind": "INCENTIVE", "description": "2027 plan", "baseRate": 0.05, "newCustomer": "FIRST_ORDER",
             "targets": {"newCustomerShare": {"target": 0.35, "points": 2.5}, "crossDepartmentDeals": {"target": 2}}}""";
    static final String PLAN_V2 = """
            {"kind": "INCENTIVE", "description": "2027 plan, more for margins", "baseRate": 0.045,
             "newCustomer": "FIRST_EFFECTIVE_CONTACT", "newCustomerWindow": "P60D",
             "targets": {"highMarginShare": {"target": 0.45, "points": 3.25}}}""";

    static ConfigurableApplicationContext node;
    static JdbcTemplate jdbc;
    static int port;
    static String director;
    static String rep;

    @BeforeAll
    static void start() {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        Map<String, Object> properties = org.salesledger.command.TestNodes.properties(db);
        properties.put("salesledger.rules.refresh-interval", "PT0.2S");
        node = org.salesledger.command.TestNodes.signedIn(new SpringApplicationBuilder(CommandServiceApplication.class)
                .properties(properties).registerShutdownHook(false).run());
        jdbc = node.getBean(JdbcTemplate.class);
        port = ((WebServerApplicationContext) node).getWebServer().getPort();
        director = TestHttp.userToken(port, "dir-east",
                "{\"name\":\"Director East\",\"roles\":[\"director\"],\"region\":\"east\"}");
        rep = TestHttp.userToken(port, "rep-07",
                "{\"name\":\"Rep 7\",\"roles\":[\"rep\"],\"region\":\"east\"}");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aDirectorPublishesAPlanReplacesItAsVersion2AndRetiresIt_everyVersionKept() throws Exception {
        try {
            Response published = as(director, "PUT", "/api/v1/rules/plan-2027", PLAN);
            Response replaced = as(director, "PUT", "/api/v1/rules/plan-2027", PLAN_V2);
            Response again = as(director, "PUT", "/api/v1/rules/plan-2027", PLAN_V2);

            assertThat(published.status()).as(published.body()).isEqualTo(200);
            assertThat(published.json().get("version").asInt()).isEqualTo(1);
            assertThat(published.json().get("changed").asBoolean()).isTrue();
            assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
            assertThat(replaced.json().get("version").asInt()).isEqualTo(2);
            assertThat(replaced.json().get("previousVersion").asInt()).isEqualTo(1);
            assertThat(again.json().get("changed").asBoolean()).as("the same body again stores nothing").isFalse();
            assertThat(again.json().get("version").asInt()).isEqualTo(2);

            JsonNode latest = as(director, "GET", "/api/v1/rules/plan-2027", null).json();
            assertThat(latest.get("kind").asText()).isEqualTo("INCENTIVE");
            assertThat(latest.get("status").asText()).isEqualTo("ACTIVE");
            assertThat(latest.get("author").asText()).isEqualTo("dir-east");
            assertThat(latest.get("rule").get("baseRate").decimalValue()).isEqualByComparingTo("0.045");
            assertThat(latest.get("rule").get("targets").get("highMarginShare").get("points").decimalValue())
                    .isEqualByComparingTo("3.25");
            assertThat(activeRuleIds()).contains("plan-2027");

            Response retired = as(director, "DELETE", "/api/v1/rules/plan-2027", null);

            assertThat(retired.status()).as(retired.body()).isEqualTo(200);
            assertThat(retired.json().get("version").asInt()).isEqualTo(3);
            assertThat(retired.json().get("retired").asBoolean()).isTrue();
            JsonNode history = as(director, "GET", "/api/v1/rules/plan-2027?history=true", null).json();
            assertThat(history.get("versions")).extracting(v -> v.get("version").asInt() + " " + v.get("status").asText())
                    .containsExactly("1 SUPERSEDED", "2 SUPERSEDED", "3 RETIRED");
            assertThat(history.get("versions").get(0).get("rule").get("newCustomer").asText()).isEqualTo("FIRST_ORDER");
            assertThat(history.get("versions").get(1).get("rule").get("newCustomerWindow").asText()).isEqualTo("P60D");
            assertThat(activeRuleIds()).doesNotContain("plan-2027");
        } finally {
            retireIfActive("plan-2027");
        }
    }

    @Test
    void aSecondPlanUnderAnotherIdIsRefusedWith409NamingTheActiveOne_untilThatOneIsRetired() throws Exception {
        try {
            assertThat(as(null, "PUT", "/api/v1/rules/plan-a", PLAN).status()).isEqualTo(200);

            Response second = as(null, "PUT", "/api/v1/rules/plan-b", PLAN_V2);

            assertThat(second.status()).as(second.body()).isEqualTo(409);
            assertThat(second.json().get("message").asText()).contains("'plan-a'", "retire it",
                    "publish a new version of it");
            assertThat(second.json().get("errors").get(0).get("field").asText()).isEqualTo("kind");
            assertThat(as(null, "GET", "/api/v1/rules/plan-b", null).status()).as("nothing stored").isEqualTo(404);

            assertThat(as(null, "DELETE", "/api/v1/rules/plan-a", null).status()).isEqualTo(200);
            Response afterRetirement = as(null, "PUT", "/api/v1/rules/plan-b", PLAN_V2);

            assertThat(afterRetirement.status()).as(afterRetirement.body()).isEqualTo(200);
            assertThat(afterRetirement.json().get("version").asInt()).isEqualTo(1);
        } finally {
            retireIfActive("plan-a");
            retireIfActive("plan-b");
        }
    }

    @Test
    void aBadPlanIsRefusedWith400NamingEachFieldByItsPathAndNothingIsStored() throws Exception {
        Response bad = as(director, "PUT", "/api/v1/rules/plan-bad", """
                {"kind": "INCENTIVE", "when": "customer.region == 'east'", "baseRate": "five percent",
                 "newCustomer": "FIRST_HUG", "taskClosureWithin": "P0D", "keyActionTypes": [],
                 "targets": {"newCustomerShare": {"target": 1.5}, "happiness": {"points": 1}}}""");

        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.json().get("errors")).extracting(e -> e.get("field").asText()).containsExactlyInAnyOrder(
                "when", "baseRate", "newCustomer", "taskClosureWithin", "keyActionTypes",
                "targets.newCustomerShare.target", "targets.happiness");
        assertThat(bad.json().get("errors")).allSatisfy(e -> assertThat(e.get("message").asText()).isNotBlank());
        assertThat(as(director, "GET", "/api/v1/rules/plan-bad", null).status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = "
                + "'salesledger:rulebook' AND convert_from(payload, 'UTF8') LIKE '%plan-bad%'", Long.class)).isZero();
    }

    @Test
    void aRepMayNotPublishAPlan() throws Exception {
        Response refused = as(rep, "PUT", "/api/v1/rules/plan-rep", PLAN);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(as(null, "GET", "/api/v1/rules/plan-rep", null).status()).isEqualTo(404);
    }

    @Test
    void theRulesDryRunRefusesAPlanAndPointsToTheHealthDryRun() throws Exception {
        Response dryRun = as(director, "POST", "/api/v1/rules/dry-run", PLAN);

        assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(400);
        assertThat(dryRun.json().get("errors")).singleElement().satisfies(e -> {
            assertThat(e.get("field").asText()).isEqualTo("kind");
            assertThat(e.get("message").asText()).contains("POST /api/v1/health/incentive/dry-run", "query side");
        });
    }

    /** A plan acts on no customer: the evaluators and the timers go on as before, a TAG rule beside it still tags. */
    @Test
    void anActivePlanLeavesTheEvaluatorsAndTimersAloneAndATagRuleStillWorks() throws Exception {
        RuleCatalog catalog = node.getBean(RuleCatalog.class);
        long timePositionBefore = catalog.rules().timePosition();
        try {
            assertThat(as(null, "PUT", "/api/v1/rules/plan-beside-tag", PLAN).status()).isEqualTo(200);
            assertThat(as(null, "PUT", "/api/v1/rules/messaged-twice", """
                    {"kind": "TAG", "tag": "messaged-twice",
                     "when": "events.filter(e, e.type == 'MessageSent').size() >= 2"}""").status()).isEqualTo(200);

            RuleSet rules = catalog.rules();
            assertThat(rules.ofKind(RuleKind.INCENTIVE)).singleElement()
                    .satisfies(r -> assertThat(r.ruleId()).isEqualTo("plan-beside-tag"));
            assertThat(rules.timeDriven()).as("a plan is no time-driven rule").isEmpty();
            assertThat(rules.timePosition()).as("publishing a plan plans no deadline").isEqualTo(timePositionBefore);

            post("inc-1", "CustomerRegistered", "{\"name\":\"Acme\",\"region\":\"east\",\"ownerRepId\":\"rep-07\","
                    + "\"channel\":\"web\"}");
            post("inc-2", "MessageSent", "{\"channel\":\"wechat\"}");
            post("inc-3", "MessageSent", "{\"channel\":\"email\",\"refActionId\":\"inc-2\"}");

            RuleDeadlines.awaitTrue("the TAG rule beside the plan tags cust-inc", () -> tags("cust-inc").equals(
                    List.of("CustomerTagged messaged-twice")) ? null : "rule-made so far: " + tags("cust-inc"));
        } finally {
            retireIfActive("messaged-twice");
            retireIfActive("plan-beside-tag");
        }
    }

    // ---- helpers ----

    /** A call with this token ({@code null}: the node's admin). */
    static Response as(String token, String method, String path, String body) throws Exception {
        URI uri = URI.create("http://localhost:" + port + path);
        return token == null ? TestHttp.send(method, uri, body) : TestHttp.sendAs(token, method, uri, body);
    }

    static List<String> activeRuleIds() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        as(null, "GET", "/api/v1/rules", null).json().get("rules").forEach(r -> ids.add(r.get("ruleId").asText()));
        return ids;
    }

    static void retireIfActive(String ruleId) throws Exception {
        if (activeRuleIds().contains(ruleId)) {
            as(null, "DELETE", "/api/v1/rules/" + ruleId, null);
        }
    }

    static void post(String id, String type, String data) throws Exception {
        Response response = TestHttp.post(URI.create("http://localhost:" + port + "/api/v1/actions"),
                TestHttp.envelope(id, type, "cust-inc", "2025-03-01T09:00:00+08:00", "rep-07", data),
                "Content-Type", "application/json");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
    }

    /** The customer's rule-made tags, "type tag" in stored order. */
    static List<String> tags(String customer) {
        return jdbc.queryForList("SELECT payload_type || ' ' || (convert_from(payload, 'UTF8')::jsonb ->> 'tag') "
                + "FROM domain_event_entry WHERE aggregate_identifier = ? AND payload_type LIKE '%Tagged' "
                + "ORDER BY sequence_number", String.class, customer).stream()
                .map(s -> s.substring(s.lastIndexOf('.') + 1)).toList();
    }
}
