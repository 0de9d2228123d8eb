package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.AttributionOracle;
import org.salesledger.testing.AttributionOracle.Action;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;

/**
 * {@code GET /api/v1/attribution} counts only the customers in the caller's {@code aggregates:read} scope (contract
 * §7, issue 17): a director its region's (by registration), a supervisor its own and its reps' (current owner), a
 * rep its own, an analyst every customer; the request's own filters narrow it further. Each caller's answer is held
 * to an independent computation over the journeys of the customers in its scope only: the test fixtures'
 * {@link AttributionOracle} for the rule-based models, a plain split for {@code shapley_simplified}, and numbers
 * worked out by hand for a tiny case. Two customers change owner after they converted: their credit follows them.
 */
class ScopedAttributionIT {

    private static final Map<String, String> TOUCHES = new LinkedHashMap<>();
    private static final Map<String, Customer> CUSTOMERS = new LinkedHashMap<>();
    private static final List<Action> ACTIONS = new ArrayList<>();

    static {
        TOUCHES.put("CustomerRegistered", null);
        TOUCHES.put("TouchpointRecorded", null);
    }

    /** A customer as the test knows it: registration region, its current owner (after the reassignments). */
    private record Customer(String id, String region, String owner) {
    }

    @TempDir
    static Path dataDir;

    static EmbeddedSystem system;
    static Map<String, String> tokens = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        system = EmbeddedSystem.start(TestSystems.settings(dataDir));
        TestSystems.signIn(system);
        int port = system.commandPort();
        tokens.put("sup-1", TestHttp.userToken(port, "sup-1",
                "{\"name\":\"Sup 1\",\"roles\":[\"supervisor\"],\"region\":\"east\"}"));
        tokens.put("rep-1", TestHttp.userToken(port, "rep-1",
                "{\"name\":\"Rep 1\",\"roles\":[\"rep\"],\"region\":\"east\",\"supervisorId\":\"sup-1\"}"));
        tokens.put("rep-2", TestHttp.userToken(port, "rep-2",
                "{\"name\":\"Rep 2\",\"roles\":[\"rep\"],\"region\":\"west\",\"supervisorId\":\"sup-1\"}"));
        tokens.put("rep-9", TestHttp.userToken(port, "rep-9",
                "{\"name\":\"Rep 9\",\"roles\":[\"rep\"],\"region\":\"west\"}"));
        tokens.put("dir-east", TestHttp.userToken(port, "dir-east",
                "{\"name\":\"Director East\",\"roles\":[\"director\"],\"region\":\"east\"}"));
        tokens.put("dir-none", TestHttp.userToken(port, "dir-none",
                "{\"name\":\"Director Nowhere\",\"roles\":[\"director\"]}"));
        tokens.put("analyst-1", TestHttp.userToken(port, "analyst-1",
                "{\"name\":\"Analyst\",\"roles\":[\"analyst\"]}"));

        // rep-1's customers now: exactly the tiny case whose data-driven credit is worked out by hand below
        customer("k1", "east", "rep-1", "A", null, "100", null);
        customer("k2", "west", "rep-1", "A", "B", "200", null);
        customer("k3", "east", "rep-9", "B", null, null, null);          // reassigned to rep-1
        customer("k4", "east", "rep-1", "B", "A", null, null);
        customer("k5", "east", "rep-1", "C", "A", "300", null);          // won, then reassigned to rep-9
        customer("k6", "west", "rep-2", "C", "B", "400", "50");
        customer("k7", "east", "rep-2", "B", null, "120", null);
        customer("k8", "west", "rep-9", "A", "C", "500", null);
        customer("k9", "west", "rep-9", "C", null, null, null);
        for (Action a : ACTIONS) {
            Response posted = TestHttp.post(command("/api/v1/actions"), AttributionEndToEndIT.envelope(a),
                    "Content-Type", "application/json");
            assertThat(posted.status()).as(posted.body()).isEqualTo(202);
        }
        // every contract in the read model (7 conversions), then the reassignments on top
        TestHttp.eventually(query("/api/v1/attribution?model=first_touch"), r -> r.status() == 200
                && conversions(r.json()).compareTo(BigDecimal.valueOf(7)) == 0, Duration.ofSeconds(120));
        reassign("k3", "rep-1");
        reassign("k5", "rep-9");
        caughtUp();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void everyCallersRuleBasedAttributionCountsOnlyItsScopesCustomers() throws Exception {
        Map<String, BiPredicate<String, String>> scopes = new LinkedHashMap<>();
        scopes.put("dir-east", (region, owner) -> region.equals("east"));
        scopes.put("sup-1", (region, owner) -> Set.of("sup-1", "rep-1", "rep-2").contains(owner));
        scopes.put("rep-1", (region, owner) -> owner.equals("rep-1"));
        scopes.put("rep-9", (region, owner) -> owner.equals("rep-9"));
        scopes.put("analyst-1", (region, owner) -> true);
        scopes.put("dir-none", (region, owner) -> false);
        // whole days: the precomputed sums; a time within a day: computed from the journeys
        for (String when : List.of("", "&from=2025-03-01T00:00:01Z", "&to=2025-04-01")) {
            for (String model : List.of("first_touch", "linear", "w_shaped")) {
                for (Map.Entry<String, BiPredicate<String, String>> scope : scopes.entrySet()) {
                    assertAnswersAsTheOracle(scope.getKey(), "/api/v1/attribution?model=" + model + when,
                            scope.getValue());
                }
            }
        }
    }

    @Test
    void theRequestsFiltersIntersectTheScope() throws Exception {
        for (String model : List.of("first_touch", "linear")) {
            for (String when : List.of("", "&from=2025-03-01T00:00:01Z")) {
                String path = "/api/v1/attribution?model=" + model + when;
                assertAnswersAsTheOracle("sup-1", path + "&region=west", (region, owner) -> region.equals("west")
                        && Set.of("sup-1", "rep-1", "rep-2").contains(owner));
                assertAnswersAsTheOracle("dir-east", path + "&rep=rep-1", (region, owner) -> region.equals("east")
                        && owner.equals("rep-1"));
                assertAnswersAsTheOracle("rep-1", path + "&rep=rep-2", (region, owner) -> false);
                assertAnswersAsTheOracle("rep-9", path + "&region=east", (region, owner) -> region.equals("east")
                        && owner.equals("rep-9"));
            }
        }
        assertThat(channels(answer("rep-1", "/api/v1/attribution?model=linear&rep=rep-2"))).isEmpty();
    }

    @Test
    void shapleySimplifiedCountsTheJourneysOfTheScopesCustomersOnly() throws Exception {
        Map<String, BiPredicate<String, String>> scopes = new LinkedHashMap<>();
        scopes.put("dir-east", (region, owner) -> region.equals("east"));
        scopes.put("sup-1", (region, owner) -> Set.of("sup-1", "rep-1", "rep-2").contains(owner));
        scopes.put("rep-9", (region, owner) -> owner.equals("rep-9"));
        scopes.put("analyst-1", (region, owner) -> true);
        // 90 days: the kept paths; 30: aggregated from the touches when asked
        for (String lookback : List.of("90", "30")) {
            for (Map.Entry<String, BiPredicate<String, String>> scope : scopes.entrySet()) {
                String path = "/api/v1/attribution?model=shapley_simplified&lookbackDays=" + lookback;
                JsonNode answer = answer(scope.getKey(), path);
                assertThat(AttributionOracle.differences(simplified(scope.getValue(), Integer.parseInt(lookback)),
                        AttributionEndToEndIT.byKey(answer))).as(scope.getKey() + " " + path).isEmpty();
            }
        }
    }

    /**
     * rep-1's customers now are k1 (path A, won 100 CNY), k2 (A → B, won 200 CNY), k3 (B, not won; reassigned to
     * rep-1) and k4 (B → A, not won) — k5 went to rep-9 after it was won. By hand (as in projections'
     * {@code DataDrivenAttributionIT}): markov order 1 gives A and B one conversion each, A 125 and B 175 CNY;
     * shapley_simplified splits k2 equally, A 1.5 / 200, B 0.5 / 100; first_touch gives A both conversions; linear
     * A 1.5 / 200, B 0.5 / 100. Over every customer (the analyst) the answers differ.
     */
    @Test
    void aRepsAnswersInATinyCaseAreThoseWorkedOutByHand() throws Exception {
        String base = "/api/v1/attribution?model=";
        assertThat(cents(answer("rep-1", base + "markov"))).containsExactly("A|CNY|1.00|125.00", "B|CNY|1.00|175.00");
        assertThat(cents(answer("rep-1", base + "shapley_simplified")))
                .containsExactly("A|CNY|1.50|200.00", "B|CNY|0.50|100.00");
        assertThat(cents(answer("rep-1", base + "first_touch"))).containsExactly("A|CNY|2.00|300.00");
        assertThat(cents(answer("rep-1", base + "linear")))
                .containsExactly("A|CNY|1.50|200.00", "B|CNY|0.50|100.00");
        assertThat(cents(answer("rep-1", base + "linear&from=2025-03-01T00:00:01Z")))
                .containsExactly("A|CNY|1.50|200.00", "B|CNY|0.50|100.00");
        // the director of east: k1, k3, k4, k5 (still east after its reassignment), k7
        assertThat(cents(answer("dir-east", base + "first_touch")))
                .containsExactly("A|CNY|1.00|100.00", "B|CNY|1.00|120.00", "C|CNY|1.00|300.00");
        assertThat(cents(answer("analyst-1", base + "markov"))).isNotEqualTo(cents(answer("rep-1", base + "markov")));
    }

    @Test
    void theAcquisitionCostReportIsAnsweredOverEveryCustomerOnly() throws Exception {
        Response analyst = TestHttp.get(query("/api/v1/acquisition-cost?model=first_touch"), tokens.get("analyst-1"));
        assertThat(analyst.status()).as(analyst.body()).isEqualTo(200);
        long won = 0;
        for (JsonNode c : analyst.json().get("channels")) {
            won += c.get("customersWon").asLong();
        }
        assertThat(won).isEqualTo(6);
        for (String user : List.of("dir-east", "sup-1", "rep-1")) {
            Response refused = TestHttp.get(query("/api/v1/acquisition-cost"), tokens.get(user));
            assertThat(refused.status()).as(user + ": " + refused.body()).isEqualTo(403);
        }
    }

    // ---- the independent computations ----

    private static void assertAnswersAsTheOracle(String user, String path, BiPredicate<String, String> inScope)
            throws Exception {
        JsonNode answer = answer(user, path);
        Map<String, String> p = parameters(path);
        AttributionOracle.Question question = new AttributionOracle.Question(p.get("model"), 90, 7,
                instant(p.get("from")), instant(p.get("to")), null, null, null);
        Map<String, AttributionOracle.Credit> expected = AttributionOracle.attribution(inScope(inScope), TOUCHES,
                question);
        assertThat(AttributionOracle.differences(expected, AttributionEndToEndIT.byKey(answer)))
                .as(user + " " + path).isEmpty();
    }

    /** The actions of the customers in scope, by registration region and current owner. */
    private static List<Action> inScope(BiPredicate<String, String> inScope) {
        Set<String> ids = new LinkedHashSet<>();
        CUSTOMERS.values().stream().filter(c -> inScope.test(c.region(), c.owner())).forEach(c -> ids.add(c.id()));
        return ACTIONS.stream().filter(a -> ids.contains(a.customer())).toList();
    }

    /**
     * shapley_simplified over every customer in scope, the plainest way: each won customer's conversions split
     * equally over the distinct channels of its touches within {@code lookbackDays} before its first contract.
     */
    private static Map<String, AttributionOracle.Credit> simplified(BiPredicate<String, String> inScope,
                                                                    int lookbackDays) {
        Map<String, double[]> sums = new TreeMap<>();
        Map<String, List<Action>> byCustomer = new LinkedHashMap<>();
        inScope(inScope).forEach(a -> byCustomer.computeIfAbsent(a.customer(), k -> new ArrayList<>()).add(a));
        byCustomer.forEach((customer, actions) -> {
            List<Action> contracts = actions.stream().filter(a -> a.type().equals("ContractSigned")).toList();
            if (contracts.isEmpty()) {
                return;
            }
            Instant first = contracts.stream().map(a -> instant(a.time())).min(Instant::compareTo).orElseThrow();
            Set<String> channels = new LinkedHashSet<>();
            for (Action a : actions) {
                Instant t = instant(a.time());
                if (TOUCHES.containsKey(a.type()) && !t.isAfter(first)
                        && !t.isBefore(first.minus(Duration.ofDays(lookbackDays)))) {
                    channels.add(a.channel());
                }
            }
            if (channels.isEmpty()) {
                channels.add("(none)");
            }
            for (Action contract : contracts) {
                for (String channel : channels) {
                    double[] sum = sums.computeIfAbsent(channel + "|" + contract.currency(), k -> new double[2]);
                    sum[0] += 1.0 / channels.size();
                    sum[1] += contract.amount().doubleValue() / channels.size();
                }
            }
        });
        Map<String, AttributionOracle.Credit> credits = new TreeMap<>();
        sums.forEach((k, v) -> credits.put(k, new AttributionOracle.Credit(v[0], v[1])));
        return credits;
    }

    // ---- helpers ----

    /**
     * A customer registered on 2025-03-01 by {@code owner} through {@code channel}, maybe touched by {@code touch}
     * the next day, maybe won on 2025-03-10 for {@code cny} CNY and again on 2025-04-05 for {@code usd} USD.
     * {@code owner} is the registering one; {@link #reassign} records the current one.
     */
    private static void customer(String id, String region, String owner, String channel, String touch, String cny,
                                 String usd) {
        CUSTOMERS.put(id, new Customer(id, region, owner));
        ACTIONS.add(new Action(id + "-r", id, "CustomerRegistered", "2025-03-01T09:00:00Z", channel, null, null,
                region, null, owner, null, null));
        if (touch != null) {
            ACTIONS.add(new Action(id + "-t", id, "TouchpointRecorded", "2025-03-02T09:00:00Z", touch, null, null,
                    null, null, null, null, null));
        }
        if (cny != null) {
            ACTIONS.add(new Action(id + "-c", id, "ContractSigned", "2025-03-10T09:00:00Z", null, new BigDecimal(cny),
                    "CNY", null, null, null, null, null));
        }
        if (usd != null) {
            ACTIONS.add(new Action(id + "-u", id, "ContractSigned", "2025-04-05T09:00:00Z", null, new BigDecimal(usd),
                    "USD", null, null, null, null, null));
        }
    }

    /** A supervisor gives the customer to {@code rep} once the command side knows it. */
    private static void reassign(String customer, String rep) throws Exception {
        URI uri = command("/api/v1/customers/" + customer + "/reassign");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Response answer = TestHttp.post(uri, "{\"toRepId\":\"" + rep + "\"}", "Content-Type", "application/json",
                "X-Actor", "sup-1");
        while (answer.status() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            answer = TestHttp.post(uri, "{\"toRepId\":\"" + rep + "\"}", "Content-Type", "application/json",
                    "X-Actor", "sup-1");
        }
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        Customer known = CUSTOMERS.get(customer);
        CUSTOMERS.put(customer, new Customer(customer, known.region(), rep));
    }

    private static JsonNode answer(String user, String path) throws Exception {
        Response answer = TestHttp.get(query(path), tokens.get(user));
        assertThat(answer.status()).as(user + " " + path + ": " + answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static BigDecimal conversions(JsonNode answer) {
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode c : answer.get("channels")) {
            sum = sum.add(c.get("conversions").decimalValue());
        }
        return sum;
    }

    private static List<String> channels(JsonNode answer) {
        List<String> channels = new ArrayList<>();
        answer.get("channels").forEach(c -> channels.add(c.get("channel").asText()));
        return channels;
    }

    /** channel|currency|conversions|revenue, each figure to two decimals. */
    private static List<String> cents(JsonNode answer) {
        List<String> rows = new ArrayList<>();
        answer.get("channels").forEach(c -> rows.add(c.get("channel").asText() + "|" + c.get("currency").asText()
                + "|" + c.get("conversions").decimalValue().setScale(2, RoundingMode.HALF_EVEN).toPlainString()
                + "|" + c.get("revenue").decimalValue().setScale(2, RoundingMode.HALF_EVEN).toPlainString()));
        return rows;
    }

    private static Map<String, String> parameters(String path) {
        Map<String, String> p = new TreeMap<>();
        for (String pair : path.substring(path.indexOf('?') + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            p.put(kv[0], kv[1]);
        }
        return p;
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        return text.length() == 10 ? Instant.parse(text + "T00:00:00Z") : OffsetDateTime.parse(text).toInstant();
    }

    /** Waits until the attribution read model has applied every stored event. */
    private static void caughtUp() throws Exception {
        Pattern lag = Pattern.compile("salesledger_projection_lag_events\\{readModel=\"attribution\"} (\\S+)");
        Response last = TestHttp.eventually(query("/actuator/prometheus"), r -> {
            Matcher m = lag.matcher(r.body());
            return m.find() && Double.parseDouble(m.group(1)) == 0;
        }, Duration.ofSeconds(120));
        assertThat(last.status()).isEqualTo(200);
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }
}
