package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.testing.TestHttp.envelope;
import static org.salesledger.testing.TestHttp.eventually;
import static org.salesledger.testing.TestHttp.get;
import static org.salesledger.testing.TestHttp.post;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestPostgres;

/**
 * An event a read model cannot apply is parked in the dead-letter queue on PostgreSQL with its cause; the later
 * events of the same customer wait behind it, in order, while every other customer goes on; operators see it over
 * HTTP and in the metrics, retry it, and a rebuild starts the queue afresh. Each test poisons customers of its own;
 * the queues are shared, so counts over a whole queue are checked as what the test's own customers added to it.
 */
class DeadLettersIT {

    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    @TempDir
    static Path dataDir;

    static TestPostgres.TestDatabase db;
    static EmbeddedSystem system;

    @BeforeAll
    static void start() throws Exception {
        db = TestPostgres.newDatabase();
        system = EmbeddedSystem.start(TestSystems.settings(db, dataDir));
        TestSystems.signIn(system);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void anEventAReadModelCannotApplyIsParkedWithItsCustomersLaterEventsWhileOthersGoOn() throws Exception {
        JsonNode queueBefore = get(query("/api/v1/admin/dead-letters/timeline")).json();
        double gaugeBefore = deadLetterGauge("timeline");

        poison("p1", "cust-poisoned-1", "cust-healthy-1");

        // both parked, listed and counted
        JsonNode timeline = eventually(query("/api/v1/admin/dead-letters/timeline"),
                r -> r.status() == 200 && lettersOf(r.json(), "cust-poisoned-1", "cust-healthy-1").size() == 2
                        && r.json().get("events").asLong() == queueBefore.get("events").asLong() + 2, CATCH_UP)
                .json();
        List<JsonNode> letters = lettersOf(timeline, "cust-poisoned-1", "cust-healthy-1");
        assertThat(timeline.get("customers").asLong()).isEqualTo(queueBefore.get("customers").asLong() + 1);
        assertThat(letters).extracting(l -> l.get("customerId").asText()).containsOnly("cust-poisoned-1");
        assertThat(letters.get(0).get("sequenceNumber").asLong()).isEqualTo(1);
        assertThat(letters.get(0).get("cause").asText()).isNotBlank();
        assertThat(letters.get(1).get("actionId").asText()).isEqualTo("p1-3");
        assertThat(eventually(query("/api/v1/customers/cust-healthy-1/timeline"),
                r -> r.json().get("events").size() == 2, CATCH_UP).json().get("events")).hasSize(2);
        assertThat(get(query("/api/v1/customers/cust-poisoned-1/timeline")).json().get("events"))
                .extracting(e -> e.get("id").asText()).containsExactly("p1-1");
        assertThat(deadLetterGauge("timeline")).isEqualTo(gaugeBefore + 2);
    }

    @Test
    void aRetryThatFailsAgainKeepsTheLettersAndSaysSo() throws Exception {
        poison("p2", "cust-poisoned-2", "cust-healthy-2");
        // the poisoned registration copy and the visit parked behind it
        JsonNode queue = eventually(query("/api/v1/admin/dead-letters/funnel"),
                r -> lettersOf(r.json(), "cust-poisoned-2").size() == 2, CATCH_UP).json();
        assertThat(lettersOf(queue, "cust-poisoned-2")).extracting(l -> l.get("sequenceNumber").asLong())
                .containsExactly(1L, 2L);

        JsonNode retry = post(query("/api/v1/admin/dead-letters/funnel/retry"), "").json();

        // every parked customer is one sequence, and each fails again (alone, this test's own: 1 tried, 2 left)
        assertThat(retry.get("sequencesTried").asLong()).isEqualTo(queue.get("customers").asLong());
        assertThat(retry.get("sequencesApplied").asLong()).isZero();
        assertThat(retry.get("eventsLeft").asLong()).isEqualTo(queue.get("events").asLong());
        assertThat(lettersOf(get(query("/api/v1/admin/dead-letters/funnel")).json(), "cust-poisoned-2"))
                .extracting(l -> l.get("sequenceNumber").asLong()).containsExactly(1L, 2L);
    }

    @Test
    void aRebuildStartsTheQueueAfreshAndParksOnlyWhatStillFails() throws Exception {
        poison("p3", "cust-poisoned-3", "cust-healthy-3");
        JsonNode before = eventually(query("/api/v1/admin/dead-letters/timeline"),
                r -> lettersOf(r.json(), "cust-poisoned-3").size() == 2, CATCH_UP).json();
        assertThat(post(query("/api/v1/admin/rebuilds/timeline"), "").status()).isEqualTo(202);
        JsonNode rebuild = eventually(query("/api/v1/admin/rebuilds/timeline"),
                r -> r.status() == 200 && r.json().get("state").asText().matches("DONE|FAILED"), CATCH_UP).json();
        assertThat(rebuild.get("state").asText()).as(rebuild.toString()).isEqualTo("DONE");
        assertThat(rebuild.get("eventsDone").asLong()).as(rebuild.toString())
                .isEqualTo(rebuild.get("eventsTotal").asLong()).isPositive();
        Instant started = Instant.parse(rebuild.get("startedAt").asText());

        JsonNode timeline = get(query("/api/v1/admin/dead-letters/timeline")).json();

        assertThat(timeline.get("events").asLong()).isEqualTo(before.get("events").asLong());
        List<JsonNode> mine = lettersOf(timeline, "cust-poisoned-3", "cust-healthy-3");
        assertThat(mine).extracting(l -> l.get("sequenceNumber").asLong()).containsExactly(1L, 2L);
        // the queue was cleared and the replay parked them again: only a rebuild that ran makes the letters new
        assertThat(mine).allSatisfy(l -> assertThat(Instant.parse(l.get("enqueuedAt").asText()))
                .as(l.toString()).isAfterOrEqualTo(started));
        assertThat(lettersOf(before, "cust-poisoned-3")).allSatisfy(l -> assertThat(Instant.parse(
                l.get("enqueuedAt").asText())).as(l.toString()).isBefore(started));
        assertThat(get(query("/api/v1/customers/cust-poisoned-3/timeline")).json().get("events"))
                .extracting(e -> e.get("id").asText()).containsExactly("p3-1");
        assertThat(get(query("/api/v1/customers/cust-healthy-3/timeline")).json().get("events")).hasSize(2);
    }

    @Test
    void unknownReadModelsAndBadLimitsAreRefusedWithAReason() throws Exception {
        Response unknown = get(query("/api/v1/admin/dead-letters/nothing"));
        Response badLimit = get(query("/api/v1/admin/dead-letters/timeline?limit=0"));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("message").asText()).contains("nothing", "timeline", "funnel");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().get("message").asText()).contains("limit");
    }

    /**
     * Registers a customer to poison and a healthy one, stores an event the read models cannot apply for the first
     * (actions {@code prefix-1} to {@code prefix-4}: registrations, then a visit each), and waits until both read
     * models have parked the poisoned customer's two events, so that no test leaves letters still on their way.
     */
    private static void poison(String prefix, String poisoned, String healthy) throws Exception {
        register(prefix + "-1", poisoned);
        register(prefix + "-2", healthy);
        eventually(query("/api/v1/customers/" + healthy + "/timeline"), r -> r.status() == 200, CATCH_UP);
        eventually(query("/api/v1/customers/" + poisoned + "/timeline"), r -> r.status() == 200, CATCH_UP);
        // A stored event without the envelope time the projections need (as an old release might have written):
        // a copy of the customer's registration as its next event, with empty metadata.
        storeEventWithoutMetadata(poisoned);
        assertThat(post(command("/api/v1/actions"), visit(prefix + "-3", poisoned)).status()).isEqualTo(202);
        assertThat(post(command("/api/v1/actions"), visit(prefix + "-4", healthy)).status()).isEqualTo(202);
        for (String readModel : List.of("timeline", "funnel")) {
            eventually(query("/api/v1/admin/dead-letters/" + readModel),
                    r -> r.status() == 200 && lettersOf(r.json(), poisoned).size() == 2, CATCH_UP);
        }
    }

    /** The listed letters of the given customers, in the listing's order. */
    private static List<JsonNode> lettersOf(JsonNode queue, String... customers) {
        List<String> wanted = List.of(customers);
        List<JsonNode> letters = new ArrayList<>();
        queue.path("letters").forEach(l -> {
            if (wanted.contains(l.get("customerId").asText())) {
                letters.add(l);
            }
        });
        return letters;
    }

    private static double deadLetterGauge(String readModel) throws Exception {
        String body = get(query("/actuator/prometheus")).body();
        Matcher m = Pattern.compile("salesledger_projection_dead_letters_events\\{readModel=\"" + readModel
                + "\"} (\\S+)").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static void register(String id, String customer) throws Exception {
        assertThat(post(command("/api/v1/actions"), envelope(id, "CustomerRegistered", customer,
                "2025-03-01T09:00:00+08:00", "rep-07", "{\"name\":\"" + customer + "\",\"region\":\"east\","
                        + "\"ownerRepId\":\"rep-07\",\"channel\":\"exhibition\"}")).status()).isEqualTo(202);
    }

    private static String visit(String id, String customer) {
        return envelope(id, "VisitLogged", customer, "2025-03-02T09:00:00+08:00", "rep-07",
                "{\"contactRole\":\"buyer\",\"location\":{\"lat\":31.2,\"lon\":121.5}}");
    }

    private static void storeEventWithoutMetadata(String customer) throws Exception {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement statement = connection.createStatement()) {
            int rows = statement.executeUpdate("""
                    INSERT INTO domain_event_entry (event_identifier, meta_data, payload, payload_type, time_stamp,
                                                    aggregate_identifier, sequence_number, type)
                    SELECT gen_random_uuid()::text, convert_to('{}', 'UTF8'), payload, payload_type, time_stamp,
                           aggregate_identifier, sequence_number + 1, type
                    FROM domain_event_entry WHERE aggregate_identifier = '%s' AND sequence_number = 0
                    """.formatted(customer));
            assertThat(rows).isEqualTo(1);
        }
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }
}
