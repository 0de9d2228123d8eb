package org.salesledger.command.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
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
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What-if over HTTP: a draft rule evaluated over the whole stored history, answered by region and month of the
 * matching moment, with nothing stored.
 */
class DryRunIT {

    static ConfigurableApplicationContext node;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        Map<String, Object> properties = org.salesledger.command.TestNodes.properties(db);
        node = org.salesledger.command.TestNodes.signedIn(new SpringApplicationBuilder(CommandServiceApplication.class).properties(properties)
                .registerShutdownHook(false).run());
        jdbc = node.getBean(JdbcTemplate.class);
        // east-1: two price objections in March; east-2: one; west-1: two in April, then silent for months
        register("east-1", "east", "2025-03-01T09:00:00+08:00");
        objection("east-1", "1", "2025-03-02T09:00:00+08:00");
        objection("east-1", "2", "2025-03-20T09:00:00+08:00");
        register("east-2", "east", "2025-03-01T09:00:00+08:00");
        objection("east-2", "1", "2025-03-02T09:00:00+08:00");
        register("west-1", "west", "2025-04-01T09:00:00+08:00");
        objection("west-1", "1", "2025-04-02T09:00:00+08:00");
        objection("west-1", "2", "2025-04-03T09:00:00+08:00");
        contract("east-2", "K-1", "2025-03-05T09:00:00+08:00");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aDraftTagRuleCountsTheCustomersItWouldHaveTaggedByRegionAndMonth_andStoresNothing() throws Exception {
        long before = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);

        JsonNode result = dryRun("""
                {"kind": "TAG", "tag": "high-bargaining",
                 "when": "events.filter(e, e.type == 'ObjectionRaised' && e.data.objectionType == 'PRICE' && now - e.time <= duration('720h')).size() >= 2"}""",
                "").json();

        assertThat(result.get("customersEvaluated").asLong()).isEqualTo(3);
        assertThat(result.get("customersMatched").asLong()).isEqualTo(2);
        assertThat(result.get("partial").asBoolean()).isFalse();
        assertThat(result.get("byRegion").toString()).isEqualTo(
                "[{\"key\":\"east\",\"customers\":1},{\"key\":\"west\",\"customers\":1}]");
        assertThat(result.get("byMonth").toString()).isEqualTo(
                "[{\"key\":\"2025-03\",\"customers\":1},{\"key\":\"2025-04\",\"customers\":1}]");
        assertThat(result.get("byRegionAndMonth").get(0).toString())
                .isEqualTo("{\"region\":\"east\",\"month\":\"2025-03\",\"customers\":1}");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class)).isEqualTo(before);
    }

    @Test
    void aDraftTimeRuleReplaysTheWaitingPeriods() throws Exception {
        JsonNode idle = dryRun("{\"kind\": \"IDLE\", \"after\": \"P30D\"}", "").json();
        JsonNode collection = dryRun("{\"kind\": \"COLLECTION\", \"after\": \"P7D\"}", "").json();
        JsonNode escalate = dryRun("""
                {"kind": "ESCALATE", "stage": "FIRST_CONTACT", "after": "P10D", "to": "supervisor",
                 "when": "customer.region == 'west'"}""", "").json();

        assertThat(idle.get("customersMatched").asLong()).isEqualTo(3);
        assertThat(idle.get("byMonth").get(0).get("key").asText()).isEqualTo("2025-04"); // east-1: 20 Mar + 30 d
        assertThat(collection.get("customersMatched").asLong()).isEqualTo(1);
        assertThat(collection.get("byMonth").get(0).get("key").asText()).isEqualTo("2025-03");
        assertThat(escalate.get("customersMatched").asLong()).isEqualTo(1);
        assertThat(escalate.get("byRegion").get(0).get("key").asText()).isEqualTo("west");
    }

    @Test
    void aDryRunIsBoundedAndSaysWhenItsAnswerIsPartial() throws Exception {
        JsonNode result = dryRun("{\"kind\": \"IDLE\", \"after\": \"P1D\"}", "?maxCustomers=2").json();

        assertThat(result.get("customersEvaluated").asLong()).isEqualTo(2);
        assertThat(result.get("partial").asBoolean()).isTrue();
        assertThat(result.get("stoppedBecause").asText()).isEqualTo("MAX_CUSTOMERS");
        assertThat(result.get("lastCustomerId").asText()).isEqualTo("east-2");
    }

    @Test
    void aBadDraftIsRefusedWithThePositionOfItsError() throws Exception {
        Response bad = TestHttp.post(uri("/api/v1/rules/dry-run"),
                "{\"kind\": \"TAG\", \"tag\": \"x\", \"when\": \"events.exists(e, e.type == )\"}",
                "Content-Type", "application/json");

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("when");
        assertThat(bad.json().get("errors").get(0).has("column")).isTrue();
    }

    // ---- helpers ----

    static Response dryRun(String body, String query) throws Exception {
        Response response = TestHttp.post(uri("/api/v1/rules/dry-run" + query), body, "Content-Type",
                "application/json");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response;
    }

    static void register(String customer, String region, String time) throws Exception {
        action(customer + "-0", "CustomerRegistered", customer, time, "{\"name\":\"" + customer + "\",\"region\":\""
                + region + "\",\"ownerRepId\":\"rep-07\",\"channel\":\"web\"}");
    }

    static void objection(String customer, String n, String time) throws Exception {
        action(customer + "-o" + n, "ObjectionRaised", customer, time, "{\"objectionType\":\"PRICE\"}");
    }

    static void contract(String customer, String id, String time) throws Exception {
        action(customer + "-" + id, "ContractSigned", customer, time,
                "{\"contractId\":\"" + id + "\",\"amount\":{\"value\":\"100\",\"currency\":\"CNY\"}}");
    }

    static void action(String id, String type, String customer, String time, String data) throws Exception {
        Response response = TestHttp.post(uri("/api/v1/actions"), TestHttp.envelope(id, type, customer, time, "rep-07",
                data), "Content-Type", "application/json");
        assertThat(response.status()).as("%s %s", id, response).isEqualTo(202);
    }

    static java.net.URI uri(String path) {
        return java.net.URI.create("http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort()
                + path);
    }
}
