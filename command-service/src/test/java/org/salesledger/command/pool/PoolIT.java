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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * The public pool over HTTP with two nodes on one PostgreSQL: the POOL rule reminds the owner and releases the
 * customers, reps claim them under the rule's settings — each refusal answered with its reason — two reps claiming at
 * once get one winner, and a supervisor reassigns.
 *
 * <p>No test races the wall clock: periods are measured from the actions' own {@code time}s, so customers registered
 * in the past are due as soon as they are planned, and "each once" is asserted when the customers are settled
 * ({@link RuleDeadlines#awaitSettled}), not after a sleep. The nodes start once per class; each test publishes the
 * pool rule it needs (claims follow the one active POOL rule), has its own customers and reps, and retires the rule
 * when done, so each runs alone as well as in any order.
 */
class PoolIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String RULE = "public-pool";
    private static final String POOL = """
            {"kind": "POOL", "after": "%s", "remindBefore": "%s", "reclaimLockout": "PT1H",
             "dailyClaimLimit": %d, "maxCustomersPerRep": 2,
             "when": "!events.exists(e, e.type == 'CustomerReassigned')"}""";

    static TestPostgres.TestDatabase db;
    static ConfigurableApplicationContext node1;
    static ConfigurableApplicationContext node2;
    static JdbcTemplate jdbc;

    /** Makes this test's customer and rep ids its own. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private boolean published;

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

    @AfterEach
    void retireThePoolRule() throws Exception {
        if (published) {
            Response retired = send(org.salesledger.testing.TestHttp.request(uri(node2, "/api/v1/rules/" + RULE)).DELETE(),
                    "manager-1");
            assertThat(retired.status()).as("%s", retired).isEqualTo(200);
            RuleDeadlines.awaitSwept(db);
        }
    }

    static ConfigurableApplicationContext node(String name) {
        Map<String, Object> properties = org.salesledger.command.TestNodes.properties(db);
        properties.put("salesledger.rules.refresh-interval", "PT0.2S");
        properties.put("salesledger.rules.timers.polling-interval", "PT0.2S");
        properties.put("salesledger.node-name", name);
        return org.salesledger.command.TestNodes.signedIn(new SpringApplicationBuilder(CommandServiceApplication.class, NodeName.class)
                .properties(properties).registerShutdownHook(false).run());
    }

    static class NodeName {
        @Bean
        TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, TokenSchema tokenSchema,
                              org.springframework.core.env.Environment env) {
            return JdbcTokenStore.builder().connectionProvider(connectionProvider).schema(tokenSchema)
                    .serializer(serializer).nodeId(env.getProperty("salesledger.node-name")).build();
        }
    }

    /**
     * {@code pool_owner} refuses one customer's row (a trigger, for the test): the processor tries again and again,
     * never goes on without it, and writes it once it can: the failed statement fails the batch's transaction, token
     * and all. It runs pooled, in batches (ADR 0044), on both nodes.
     */
    @Test
    void aRegistrationPoolOwnersCannotWriteIsTriedAgainUntilItIsWritten_neverSkipped() throws Exception {
        for (ConfigurableApplicationContext node : List.of(node1, node2)) {
            assertThat(node.getBean(org.axonframework.config.EventProcessingConfiguration.class).eventProcessor(
                    PoolOwners.GROUP, org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor.class))
                    .as("pool-owners is a pooled streaming processor").isPresent();
        }
        String stuck = id("stuck");
        String attempts = "pool_owner_attempts_" + run;
        String refuse = "pool_owner_refuse_" + run;
        jdbc.execute("CREATE SEQUENCE " + attempts);
        jdbc.execute("CREATE FUNCTION " + refuse + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.customer_id = '" + stuck + "' THEN PERFORM nextval('" + attempts + "'); "
                + "RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER " + refuse + " BEFORE INSERT OR UPDATE ON pool_owner FOR EACH ROW EXECUTE "
                + "FUNCTION " + refuse + "()");
        try {
            register(node1, stuck, id("owner"), now());
            // a sequence is not rolled back with the failed transaction: it counts the attempts
            RuleDeadlines.awaitTrue("pool-owners tried the refused row again", () -> {
                long tried = jdbc.queryForObject("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM "
                        + attempts, Long.class);
                return tried >= 2 ? null : "attempts so far: " + tried;
            });
            assertThat(ownerRow(stuck)).as("not written while refused").isEmpty();
        } finally {
            jdbc.execute("DROP TRIGGER " + refuse + " ON pool_owner");
            jdbc.execute("DROP FUNCTION " + refuse + "()");
        }

        RuleDeadlines.awaitTrue(stuck + " in pool_owner once it can be written",
                () -> ownerRow(stuck).isEmpty() ? "not yet" : null);
        assertThat(ownerRow(stuck)).containsExactly(id("owner") + "/false");
        jdbc.execute("DROP SEQUENCE " + attempts);
    }

    private static List<String> ownerRow(String customer) {
        return jdbc.queryForList("SELECT rep_id || '/' || in_pool FROM pool_owner WHERE customer_id = ?", String.class,
                customer);
    }

    @Test
    void thePoolRuleRemindsTheOwnerAndThenReleasesEachCustomerOnce() throws Exception {
        // registered an hour ago under a two-hour protection: the reminder (90 minutes before the release) is due
        // at once, the release only in an hour
        publishPool("PT2H", "PT90M", 10);
        Instant registered = now().minus(Duration.ofHours(1));
        List<String> customers = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String customer = id("pool-" + i);
            customers.add(customer);
            register(i % 2 == 0 ? node2 : node1, customer, id("owner"), registered);
        }
        for (String customer : customers) {
            await(customer, "PoolReleaseReminded");
            RuleDeadlines.awaitSettled(db, customer);
            assertThat(systemTypes(customer)).as(customer).containsExactly("PoolReleaseReminded");
        }

        // the protection shortened to 30 minutes: the release is due at once (its own reminder is then skipped)
        publishPool("PT30M", "PT10M", 10);
        for (String customer : customers) {
            await(customer, "CustomerReleasedToPool");
            RuleDeadlines.awaitSettled(db, customer);
        }

        for (String customer : customers) {
            assertThat(systemTypes(customer)).as(customer)
                    .containsExactly("PoolReleaseReminded", "CustomerReleasedToPool");
        }
        JsonNode released = of(customers.get(0), "CustomerReleasedToPool").get("data");
        assertThat(released.get("previousOwnerRepId").asText()).isEqualTo(id("owner"));
        assertThat(released.get("after").asText()).isEqualTo("PT30M");
        assertThat(Instant.parse(of(customers.get(0), "PoolReleaseReminded").get("data").get("releaseAt").asText()))
                .isEqualTo(registered.plus(Duration.ofHours(2)));
    }

    @Test
    void theOwnerWhoLostACustomerIsLockedOut_andARepIsCappedAtTheirMaximumOfCustomers() throws Exception {
        publishPool("PT1H", "PT3S", 10);
        List<String> pool = released(3);
        String owner = id("owner");
        String rep = id("rep-2");

        Response lockedOut = claim(node1, pool.get(0), owner);
        Response first = claim(node1, pool.get(0), rep);
        Response second = claim(node2, pool.get(1), rep);
        Response capped = claim(node1, pool.get(2), rep);

        assertThat(lockedOut.status()).isEqualTo(422);
        assertThat(lockedOut.json().get("refusal").asText()).isEqualTo("LOCKED_OUT");
        assertThat(lockedOut.json().get("errors").get(0).get("field").asText()).isEqualTo("repId");
        assertThat(lockedOut.json().get("errors").get(0).get("message").asText()).contains("released customer");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("ownerRepId").asText()).isEqualTo(rep);
        assertThat(first.json().get("previousOwnerRepId").asText()).isEqualTo(owner);
        assertThat(second.status()).isEqualTo(200);
        assertThat(capped.status()).isEqualTo(422);
        assertThat(capped.json().get("refusal").asText()).isEqualTo("CAP");
        assertThat(capped.json().get("message").asText()).contains("owns 2 customers");
        JsonNode reassigned = of(pool.get(0), "CustomerReassigned");
        assertThat(reassigned.get("type").asText()).isEqualTo("CustomerReassigned");
        assertThat(reassigned.get("data").get("via").asText()).isEqualTo("POOL_CLAIM");
    }

    @Test
    void ofTwoRepsClaimingTheSameCustomerAtOnceExactlyOneWins() throws Exception {
        publishPool("PT1H", "PT3S", 10);
        String customer = released(1).get(0);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        Callable<Response> byRep3 = () -> {
            go.await();
            return claim(node1, customer, id("rep-3"));
        };
        Callable<Response> byRep4 = () -> {
            go.await();
            return claim(node2, customer, id("rep-4"));
        };
        Future<Response> a = pool.submit(byRep3);
        Future<Response> b = pool.submit(byRep4);
        go.countDown();
        List<Integer> statuses = List.of(a.get().status(), b.get().status());
        pool.shutdown();

        assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        Response loser = a.get().status() == 409 ? a.get() : b.get();
        assertThat(loser.json().get("refusal").asText()).isEqualTo("NOT_IN_POOL");
        assertThat(systemTypes(customer).stream().filter("CustomerReassigned"::equals).count()).isEqualTo(1);
    }

    @Test
    void aRepIsHeldToTheDailyClaimLimit() throws Exception {
        publishPool("PT1H", "PT3S", 1);
        List<String> pool = released(2);
        String rep = id("rep-5");

        Response first = claim(node1, pool.get(0), rep);
        Response overLimit = claim(node2, pool.get(1), rep);

        assertThat(first.status()).isEqualTo(200);
        assertThat(overLimit.status()).isEqualTo(422);
        assertThat(overLimit.json().get("refusal").asText()).isEqualTo("DAILY_LIMIT");
        assertThat(overLimit.json().get("message").asText()).contains("daily claim limit is 1").contains("UTC");
    }

    @Test
    void aSupervisorReassignsACustomerOutOfThePool_andRefusalsAreClear() throws Exception {
        publishPool("PT1H", "PT3S", 10);
        String customer = released(1).get(0);
        String keyAccountRep = id("rep-9");

        Response reassigned = post(node1, "/api/v1/customers/" + customer + "/reassign",
                "{\"toRepId\":\"" + keyAccountRep + "\",\"reason\":\"key account\"}", "supervisor-1");
        Response claimAfter = claim(node2, customer, id("rep-6"));
        Response unknown = claim(node1, id("nobody"), id("rep-6"));
        // without X-Actor the caller claims (contract §7); a name no user can have is refused
        Response noRep = post(node1, "/api/v1/pool/" + customer + "/claim", "", "r".repeat(256));
        Response noTarget = post(node1, "/api/v1/customers/" + customer + "/reassign", "{}", "supervisor-1");

        assertThat(reassigned.status()).isEqualTo(200);
        assertThat(reassigned.json().get("via").asText()).isEqualTo("SUPERVISOR");
        JsonNode event = of(customer, "CustomerReassigned");
        assertThat(event.get("data").get("reason").asText()).isEqualTo("key account");
        assertThat(event.get("meta").get("actor").asText()).isEqualTo("supervisor-1");
        assertThat(claimAfter.status()).isEqualTo(409);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(noRep.status()).isEqualTo(400);
        assertThat(noRep.json().get("errors").get(0).get("field").asText()).isEqualTo("X-Actor");
        assertThat(noTarget.status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pool_owner WHERE rep_id = ? AND NOT in_pool",
                Long.class, keyAccountRep)).isEqualTo(1);
    }

    // ---- helpers ----

    /** An id of this test's own. */
    String id(String name) {
        return name + "-" + run;
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Publishes the pool rule with these settings, waits until both nodes hold this version (claims read it there)
     * and every customer has been re-planned under it.
     */
    void publishPool(String after, String remindBefore, int dailyClaimLimit) throws Exception {
        Response response = send(org.salesledger.testing.TestHttp.request(uri(node1, "/api/v1/rules/" + RULE))
                .PUT(HttpRequest.BodyPublishers.ofString(POOL.formatted(after, remindBefore, dailyClaimLimit))),
                "manager-1");
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        published = true;
        int version = response.json().get("version").asInt();
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[]{node1, node2}) {
            TestHttp.eventually(uri(node, "/api/v1/rules/" + RULE),
                    r -> r.json().get("version").asInt() == version, Duration.ofSeconds(60));
        }
        RuleDeadlines.awaitSwept(db);
    }

    /** {@code n} customers of this test's owner, registered two hours ago and released to the pool. */
    List<String> released(int n) throws Exception {
        List<String> customers = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String customer = id("pooled-" + i);
            customers.add(customer);
            register(i % 2 == 0 ? node2 : node1, customer, id("owner"), now().minus(Duration.ofHours(2)));
        }
        for (String customer : customers) {
            await(customer, "CustomerReleasedToPool");
        }
        return customers;
    }

    static void register(ConfigurableApplicationContext node, String customer, String owner, Instant at)
            throws Exception {
        action(node, customer + "-0", "CustomerRegistered", customer, at, "{\"name\":\"" + customer
                + "\",\"region\":\"east\",\"ownerRepId\":\"" + owner + "\",\"channel\":\"web\"}", owner);
    }

    /** Waits until the customer has recorded an action of this type. */
    static void await(String customer, String type) {
        RuleDeadlines.awaitTrue(customer + " recorded " + type, () -> systemTypes(customer).contains(type)
                ? null : "so far: " + systemTypes(customer));
    }

    static Response claim(ConfigurableApplicationContext node, String customer, String rep) throws Exception {
        return post(node, "/api/v1/pool/" + customer + "/claim", "", rep);
    }

    static void action(ConfigurableApplicationContext node, String id, String type, String customer, Instant at,
                       String data, String actor) throws Exception {
        Response response = TestHttp.post(uri(node, "/api/v1/actions"), TestHttp.envelope(id, type, customer,
                OffsetDateTime.ofInstant(at, ZoneOffset.UTC).toString(), actor, data),
                "Content-Type", "application/json");
        assertThat(response.status()).as("%s %s", id, response).isEqualTo(202);
    }

    static Response put(String path, String body) throws Exception {
        return send(org.salesledger.testing.TestHttp.request(uri(node1, path)).PUT(HttpRequest.BodyPublishers.ofString(body)),
                "manager-1");
    }

    static Response post(ConfigurableApplicationContext node, String path, String body, String actor) throws Exception {
        return send(org.salesledger.testing.TestHttp.request(uri(node, path)).POST(HttpRequest.BodyPublishers.ofString(body)), actor);
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
