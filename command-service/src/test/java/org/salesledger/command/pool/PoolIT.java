package org.salesledger.command.pool;

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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * The public pool over HTTP with two nodes on one PostgreSQL: the POOL rule reminds the owner and releases the
 * customers (seconds here), reps claim them under the rule's settings — each refusal answered with its reason — two
 * reps claiming at once get one winner, and a supervisor reassigns.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoolIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String POOL = """
            {"kind": "POOL", "after": "PT5S", "remindBefore": "PT3S", "reclaimLockout": "PT1H",
             "dailyClaimLimit": %d, "maxCustomersPerRep": 2,
             "when": "!events.exists(e, e.type == 'CustomerReassigned')"}""";

    static TestPostgres.TestDatabase db;
    static ConfigurableApplicationContext node1;
    static ConfigurableApplicationContext node2;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        db = TestPostgres.newDatabase();
        node1 = node("pool-node-1");
        node2 = node("pool-node-2");
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
                .properties(properties).registerShutdownHook(false).run();
    }

    static class NodeName {
        @Bean
        TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, TokenSchema tokenSchema,
                              org.springframework.core.env.Environment env) {
            return JdbcTokenStore.builder().connectionProvider(connectionProvider).schema(tokenSchema)
                    .serializer(serializer).nodeId(env.getProperty("salesledger.node-name")).build();
        }
    }

    @Test
    @Order(1)
    void thePoolRuleRemindsTheOwnerAndThenReleasesEachCustomerOnce() throws Exception {
        assertThat(put("/api/v1/rules/public-pool", POOL.formatted(10)).status()).isEqualTo(200);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 1; i <= 5; i++) {
            action(i % 2 == 0 ? node2 : node1, "pool-" + i + "-0", "CustomerRegistered", "pool-" + i, now,
                    "{\"name\":\"P" + i + "\",\"region\":\"east\",\"ownerRepId\":\"rep-1\",\"channel\":\"web\"}");
        }

        for (int i = 1; i <= 5; i++) {
            awaitReleased("pool-" + i);
        }
        Thread.sleep(1000);

        for (int i = 1; i <= 5; i++) {
            assertThat(systemTypes("pool-" + i)).containsExactly("PoolReleaseReminded", "CustomerReleasedToPool");
        }
        JsonNode released = of("pool-1", "CustomerReleasedToPool").get("data");
        assertThat(released.get("previousOwnerRepId").asText()).isEqualTo("rep-1");
        assertThat(released.get("after").asText()).isEqualTo("PT5S");
        assertThat(of("pool-1", "PoolReleaseReminded").get("data").get("releaseAt").asText()).isNotBlank();
    }

    @Test
    @Order(2)
    void theOwnerWhoLostACustomerIsLockedOut_andARepIsCappedAtTheirMaximumOfCustomers() throws Exception {
        Response lockedOut = claim(node1, "pool-1", "rep-1");
        Response first = claim(node1, "pool-1", "rep-2");
        Response second = claim(node2, "pool-2", "rep-2");
        Response capped = claim(node1, "pool-3", "rep-2");

        assertThat(lockedOut.status()).isEqualTo(422);
        assertThat(lockedOut.json().get("refusal").asText()).isEqualTo("LOCKED_OUT");
        assertThat(lockedOut.json().get("errors").get(0).get("field").asText()).isEqualTo("repId");
        assertThat(lockedOut.json().get("errors").get(0).get("message").asText()).contains("released customer");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("ownerRepId").asText()).isEqualTo("rep-2");
        assertThat(first.json().get("previousOwnerRepId").asText()).isEqualTo("rep-1");
        assertThat(second.status()).isEqualTo(200);
        assertThat(capped.status()).isEqualTo(422);
        assertThat(capped.json().get("refusal").asText()).isEqualTo("CAP");
        assertThat(capped.json().get("message").asText()).contains("owns 2 customers");
        JsonNode reassigned = of("pool-1", "CustomerReassigned");
        assertThat(reassigned.get("type").asText()).isEqualTo("CustomerReassigned");
        assertThat(reassigned.get("data").get("via").asText()).isEqualTo("POOL_CLAIM");
    }

    @Test
    @Order(3)
    void ofTwoRepsClaimingTheSameCustomerAtOnceExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        Callable<Response> byRep3 = () -> {
            go.await();
            return claim(node1, "pool-3", "rep-3");
        };
        Callable<Response> byRep4 = () -> {
            go.await();
            return claim(node2, "pool-3", "rep-4");
        };
        Future<Response> a = pool.submit(byRep3);
        Future<Response> b = pool.submit(byRep4);
        go.countDown();
        List<Integer> statuses = List.of(a.get().status(), b.get().status());
        pool.shutdown();

        assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        Response loser = a.get().status() == 409 ? a.get() : b.get();
        assertThat(loser.json().get("refusal").asText()).isEqualTo("NOT_IN_POOL");
        assertThat(systemTypes("pool-3").stream().filter("CustomerReassigned"::equals).count()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void aRepIsHeldToTheDailyClaimLimit() throws Exception {
        assertThat(put("/api/v1/rules/public-pool", POOL.formatted(1)).status()).isEqualTo(200);
        awaitActivePoolLimit(1);

        Response first = claim(node1, "pool-4", "rep-5");
        Response overLimit = claim(node2, "pool-5", "rep-5");

        assertThat(first.status()).isEqualTo(200);
        assertThat(overLimit.status()).isEqualTo(422);
        assertThat(overLimit.json().get("refusal").asText()).isEqualTo("DAILY_LIMIT");
        assertThat(overLimit.json().get("message").asText()).contains("daily claim limit is 1").contains("UTC");
    }

    @Test
    @Order(5)
    void aSupervisorReassignsACustomerOutOfThePool_andRefusalsAreClear() throws Exception {
        Response reassigned = post(node1, "/api/v1/customers/pool-5/reassign",
                "{\"toRepId\":\"rep-9\",\"reason\":\"key account\"}", "supervisor-1");
        Response claimAfter = claim(node2, "pool-5", "rep-6");
        Response unknown = claim(node1, "nobody", "rep-6");
        Response noRep = post(node1, "/api/v1/pool/pool-5/claim", "", null);
        Response noTarget = post(node1, "/api/v1/customers/pool-5/reassign", "{}", "supervisor-1");

        assertThat(reassigned.status()).isEqualTo(200);
        assertThat(reassigned.json().get("via").asText()).isEqualTo("SUPERVISOR");
        JsonNode event = of("pool-5", "CustomerReassigned");
        assertThat(event.get("data").get("reason").asText()).isEqualTo("key account");
        assertThat(event.get("meta").get("actor").asText()).isEqualTo("supervisor-1");
        assertThat(claimAfter.status()).isEqualTo(409);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(noRep.status()).isEqualTo(400);
        assertThat(noRep.json().get("errors").get(0).get("field").asText()).isEqualTo("X-Actor");
        assertThat(noTarget.status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pool_owner WHERE rep_id = 'rep-9' AND NOT in_pool",
                Long.class)).isEqualTo(1);
    }

    // ---- helpers ----

    static void awaitActivePoolLimit(int limit) throws Exception {
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[]{node1, node2}) {
            TestHttp.eventually(uri(node, "/api/v1/rules/public-pool"),
                    r -> r.json().get("rule").get("dailyClaimLimit").asInt() == limit, Duration.ofSeconds(60));
        }
    }

    static void awaitReleased(String customer) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!systemTypes(customer).contains("CustomerReleasedToPool") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(systemTypes(customer)).as(customer).contains("CustomerReleasedToPool");
    }

    static Response claim(ConfigurableApplicationContext node, String customer, String rep) throws Exception {
        return post(node, "/api/v1/pool/" + customer + "/claim", "", rep);
    }

    static void action(ConfigurableApplicationContext node, String id, String type, String customer, Instant at,
                       String data) throws Exception {
        Response response = TestHttp.post(uri(node, "/api/v1/actions"), TestHttp.envelope(id, type, customer,
                OffsetDateTime.ofInstant(at, ZoneOffset.UTC).toString(), "rep-1", data),
                "Content-Type", "application/json");
        assertThat(response.status()).as("%s %s", id, response).isEqualTo(202);
    }

    static Response put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(node1, path)).PUT(HttpRequest.BodyPublishers.ofString(body)),
                "manager-1");
    }

    static Response post(ConfigurableApplicationContext node, String path, String body, String actor) throws Exception {
        return send(HttpRequest.newBuilder(uri(node, path)).POST(HttpRequest.BodyPublishers.ofString(body)), actor);
    }

    static Response send(HttpRequest.Builder request, String actor) throws Exception {
        request.header("Content-Type", "application/json");
        if (actor != null) {
            request.header("X-Actor", actor);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    static URI uri(ConfigurableApplicationContext node, String path) {
        return URI.create("http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort() + path);
    }

    /** The customer's actions by the system and by the pool endpoints ({type, data, meta}), in stored order. */
    static List<JsonNode> system(String customer) {
        List<JsonNode> all = jdbc.query("SELECT payload_type, convert_from(payload, 'UTF8'), "
                        + "convert_from(meta_data, 'UTF8') FROM domain_event_entry WHERE aggregate_identifier = ? "
                        + "ORDER BY sequence_number",
                (rs, row) -> {
                    try {
                        String type = rs.getString(1);
                        return (JsonNode) JSON.createObjectNode()
                                .put("type", type.substring(type.lastIndexOf('.') + 1))
                                .<com.fasterxml.jackson.databind.node.ObjectNode>set("data", JSON.readTree(rs.getString(2)))
                                .set("meta", JSON.readTree(rs.getString(3)));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, customer);
        return all.stream().filter(e -> !e.get("type").asText().equals("CustomerRegistered")).toList();
    }

    static JsonNode of(String customer, String type) {
        return system(customer).stream().filter(e -> e.get("type").asText().equals(type)).findFirst().orElseThrow();
    }

    static List<String> systemTypes(String customer) {
        return system(customer).stream().map(e -> e.get("type").asText()).toList();
    }
}
