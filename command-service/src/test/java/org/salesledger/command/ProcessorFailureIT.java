package org.salesledger.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.testing.RuleDeadlines;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The command side's processors without a dead-letter queue — {@code rules}, {@code timers} and {@code pool-owners}
 * — stop at an event one of their handlers fails on, with any exception, and try it again until it passes: they never
 * go on without it (infra/platform's {@code ProcessorFailures}). Each group gets, for the test, one more handler that
 * throws a plain {@link IllegalStateException} twice on one customer's registration. While a processor is stopped,
 * {@code GET /actuator/health/processors} says so, with the failed event and the error (ADR 0047).
 */
class ProcessorFailureIT {

    private static final List<String> GROUPS = List.of("rules", "timers", "pool-owners");
    private static final int FAILURES = 2;
    private static final String STUCK = "stuck-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String AFTER = "after-" + UUID.randomUUID().toString().substring(0, 8);
    /** Held: the rules' handler fails on this customer's registration for as long as {@link #HOLD} is set. */
    private static final String HELD = "held-" + UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicBoolean HOLD = new AtomicBoolean(true);

    /** Per group: the attempts at the stuck customer's registration, and the customers handled, in order. */
    private static final Map<String, List<String>> ATTEMPTS = new ConcurrentHashMap<>();
    private static final Map<String, List<String>> HANDLED = new ConcurrentHashMap<>();

    static TestPostgres.TestDatabase db;
    static ConfigurableApplicationContext node;

    @BeforeAll
    static void start() {
        db = TestPostgres.newDatabase();
        Map<String, Object> properties = TestNodes.properties(db);
        node = TestNodes.signedIn(new SpringApplicationBuilder(CommandServiceApplication.class, FailingHandlers.class)
                .properties(properties).registerShutdownHook(false).run());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aHandlerThatThrowsOnAnEventHasItTriedAgainUntilItPasses_andNothingAfterItIsHandledBefore() throws Exception {
        register(STUCK);
        register(AFTER);

        for (String group : GROUPS) {
            RuleDeadlines.awaitTrue(group + " handled both customers", () -> {
                List<String> handled = ours(group);
                return handled.contains(STUCK) && handled.contains(AFTER) ? null
                        : "attempts at " + STUCK + ": " + ATTEMPTS.getOrDefault(group, List.of()).size()
                        + ", handled so far: " + handled;
            });
            assertThat(ATTEMPTS.get(group)).as("%s tried the failing event again", group).hasSize(FAILURES + 1);
            assertThat(ours(group)).as("%s handled the later customer only after the failing one", group)
                    .startsWith(STUCK);
        }
        // the group's own handler ran in the batch that passed, and wrote its row
        RuleDeadlines.awaitTrue("pool_owner has " + STUCK, () -> node.getBean(JdbcTemplate.class).queryForObject(
                "SELECT count(*) FROM pool_owner WHERE customer_id = ?", Long.class, STUCK) == 1 ? null : "not yet");
    }

    @Test
    void whileAProcessorIsStoppedItsHealthSaysWhereAndWhy_andTheServiceStaysUp() throws Exception {
        URI health = uri("/actuator/health/processors");
        TestHttp.Response before = TestHttp.get(health);
        assertThat(before.status()).as("%s", before).isEqualTo(200);
        assertThat(before.json().path("components").path("processors").path("details").path("rules")
                .path("state").asText()).isEqualTo("RUNNING");

        register(HELD);
        JsonNode stopped = TestHttp.eventually(health, r -> rules(r).path("state").asText().equals("STOPPED")
                && rules(r).path("attempts").asInt() >= 2, Duration.ofSeconds(60)).json();
        TestHttp.Response service = TestHttp.get(uri("/actuator/health"));
        HOLD.set(false);
        JsonNode recovered = TestHttp.eventually(health, r -> r.json().path("status").asText().equals("UP"),
                Duration.ofSeconds(90)).json();

        assertThat(stopped.path("status").asText()).isEqualTo("DEGRADED");
        JsonNode rules = stopped.path("components").path("processors").path("details").path("rules");
        assertThat(rules.path("error").asText()).isEqualTo("IllegalStateException: held for the test");
        long heldPosition = node.getBean(JdbcTemplate.class).queryForObject(
                "SELECT global_index FROM domain_event_entry WHERE aggregate_identifier = ?", Long.class, HELD);
        assertThat(rules.path("event").asLong()).as("the held registration's position in the event store")
                .isEqualTo(heldPosition);
        assertThat(rules.path("segments").size()).isEqualTo(1);
        assertThat(rules.path("since").asText()).isNotBlank();
        assertThat(stopped.path("components").path("processors").path("details").path("timers").path("state")
                .asText()).isEqualTo("RUNNING");
        assertThat(service.json().path("status").asText()).as("a stopped processor does not take the service down")
                .isEqualTo("UP");
        assertThat(recovered.path("components").path("processors").path("details").path("rules").path("state")
                .asText()).isEqualTo("RUNNING");
        assertThat(HANDLED.get("rules")).contains(HELD);
    }

    private static JsonNode rules(TestHttp.Response response) {
        return response.json().path("components").path("processors").path("details").path("rules");
    }

    private static URI uri(String path) {
        return URI.create("http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort() + path);
    }

    private static List<String> ours(String group) {
        return HANDLED.getOrDefault(group, List.of()).stream().filter(c -> c.equals(STUCK) || c.equals(AFTER))
                .toList();
    }

    private static void register(String customer) throws Exception {
        URI uri = uri("/api/v1/actions");
        // a fixed time: the test is about the processors, not about when (OffsetDateTime.toString drops ":00" seconds)
        TestHttp.Response response = TestHttp.post(uri, TestHttp.envelope(customer + "-0", "CustomerRegistered",
                customer, "2025-03-01T09:30:00+08:00", "rep-1", "{\"name\":\"" + customer
                        + "\",\"region\":\"east\",\"ownerRepId\":\"rep-1\",\"channel\":\"web\"}"),
                "Content-Type", "application/json");
        assertThat(response.status()).as("%s", response).isEqualTo(202);
    }

    /** One more handler in each group, failing {@value #FAILURES} times on the stuck customer's registration. */
    static class FailingHandlers {

        @Bean
        InRules inRules() {
            return new InRules();
        }

        @Bean
        InTimers inTimers() {
            return new InTimers();
        }

        @Bean
        InPoolOwners inPoolOwners() {
            return new InPoolOwners();
        }
    }

    abstract static class FailingHandler {

        void handle(String group, CustomerRegistered registered) {
            String customer = registered.customerId().value();
            if (customer.equals(STUCK)) {
                List<String> attempts = ATTEMPTS.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>());
                attempts.add(customer);
                if (attempts.size() <= FAILURES) {
                    throw new IllegalStateException("failing for the test, attempt " + attempts.size());
                }
            }
            if (customer.equals(HELD) && group.equals("rules") && HOLD.get()) {
                throw new IllegalStateException("held for the test");
            }
            HANDLED.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>()).add(customer);
        }
    }

    @ProcessingGroup("rules")
    static class InRules extends FailingHandler {
        @EventHandler
        void on(CustomerRegistered registered) {
            handle("rules", registered);
        }
    }

    @ProcessingGroup("timers")
    static class InTimers extends FailingHandler {
        @EventHandler
        void on(CustomerRegistered registered) {
            handle("timers", registered);
        }
    }

    @ProcessingGroup("pool-owners")
    static class InPoolOwners extends FailingHandler {
        @EventHandler
        void on(CustomerRegistered registered) {
            handle("pool-owners", registered);
        }
    }
}
