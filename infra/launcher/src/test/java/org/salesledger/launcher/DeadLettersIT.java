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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestPostgres;

/**
 * An event a read model cannot apply is parked in the dead-letter queue on PostgreSQL with its cause; the later
 * events of the same customer wait behind it, in order, while every other customer goes on; operators see it over
 * HTTP and in the metrics, retry it, and a rebuild starts the queue afresh.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
    @Order(1)
    void anEventAReadModelCannotApplyIsParkedWithItsCustomersLaterEventsWhileOthersGoOn() throws Exception {
        register("dl-1", "cust-poisoned");
        register("dl-2", "cust-healthy");
        eventually(query("/api/v1/customers/cust-healthy/timeline"), r -> r.status() == 200, CATCH_UP);
        eventually(query("/api/v1/customers/cust-poisoned/timeline"), r -> r.status() == 200, CATCH_UP);
        // A stored event without the envelope time the projections need (as an old release might have written):
        // a copy of the customer's registration as its next event, with empty metadata.
        storeEventWithoutMetadata("cust-poisoned");
        assertThat(post(command("/api/v1/actions"), visit("dl-3", "cust-poisoned")).status()).isEqualTo(202);
        assertThat(post(command("/api/v1/actions"), visit("dl-4", "cust-healthy")).status()).isEqualTo(202);

        // both parked, listed and counted
        JsonNode timeline = eventually(query("/api/v1/admin/dead-letters/timeline"),
                r -> r.status() == 200 && r.json().get("events").asLong() == 2
                        && r.json().get("letters").size() == 2, CATCH_UP).json();
        assertThat(timeline.get("customers").asLong()).isEqualTo(1);
        assertThat(timeline.get("letters")).extracting(l -> l.get("customerId").asText())
                .containsOnly("cust-poisoned");
        assertThat(timeline.get("letters").get(0).get("sequenceNumber").asLong()).isEqualTo(1);
        assertThat(timeline.get("letters").get(0).get("cause").asText()).isNotBlank();
        assertThat(timeline.get("letters").get(1).get("actionId").asText()).isEqualTo("dl-3");
        assertThat(eventually(query("/api/v1/customers/cust-healthy/timeline"),
                r -> r.json().get("events").size() == 2, CATCH_UP).json().get("events")).hasSize(2);
        assertThat(get(query("/api/v1/customers/cust-poisoned/timeline")).json().get("events"))
                .extracting(e -> e.get("id").asText()).containsExactly("dl-1");
        assertThat(get(query("/actuator/prometheus")).body())
                .contains("salesledger_projection_dead_letters_events{readModel=\"timeline\"} 2.0");
    }

    @Test
    @Order(2)
    void aRetryThatFailsAgainKeepsTheLettersAndSaysSo() throws Exception {
        // the poisoned registration copy and the visit parked behind it
        assertThat(eventually(query("/api/v1/admin/dead-letters/funnel"),
                r -> r.json().get("events").asLong() == 2, CATCH_UP).json().get("events").asLong()).isEqualTo(2);

        JsonNode retry = post(query("/api/v1/admin/dead-letters/funnel/retry"), "").json();

        assertThat(retry.get("sequencesTried").asLong()).isEqualTo(1);
        assertThat(retry.get("sequencesApplied").asLong()).isZero();
        assertThat(retry.get("eventsLeft").asLong()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void aRebuildStartsTheQueueAfreshAndParksOnlyWhatStillFails() throws Exception {
        JsonNode before = get(query("/api/v1/admin/dead-letters/timeline")).json();
        assertThat(before.get("events").asLong()).isEqualTo(2);
        assertThat(post(query("/api/v1/admin/rebuilds/timeline"), "").status()).isEqualTo(202);
        JsonNode rebuild = eventually(query("/api/v1/admin/rebuilds/timeline"),
                r -> r.status() == 200 && r.json().get("state").asText().matches("DONE|FAILED"), CATCH_UP).json();
        assertThat(rebuild.get("state").asText()).as(rebuild.toString()).isEqualTo("DONE");
        assertThat(rebuild.get("eventsDone").asLong()).as(rebuild.toString())
                .isEqualTo(rebuild.get("eventsTotal").asLong()).isPositive();
        Instant started = Instant.parse(rebuild.get("startedAt").asText());

        JsonNode timeline = get(query("/api/v1/admin/dead-letters/timeline")).json();

        assertThat(timeline.get("events").asLong()).isEqualTo(2);
        assertThat(timeline.get("letters")).extracting(l -> l.get("sequenceNumber").asLong()).containsExactly(1L, 2L);
        // the queue was cleared and the replay parked them again: only a rebuild that ran makes the letters new
        assertThat(timeline.get("letters")).allSatisfy(l -> assertThat(Instant.parse(l.get("enqueuedAt").asText()))
                .as(l.toString()).isAfterOrEqualTo(started));
        assertThat(before.get("letters")).allSatisfy(l -> assertThat(Instant.parse(l.get("enqueuedAt").asText()))
                .as(l.toString()).isBefore(started));
        assertThat(get(query("/api/v1/customers/cust-poisoned/timeline")).json().get("events"))
                .extracting(e -> e.get("id").asText()).containsExactly("dl-1");
        assertThat(get(query("/api/v1/customers/cust-healthy/timeline")).json().get("events")).hasSize(2);
    }

    @Test
    @Order(4)
    void unknownReadModelsAndBadLimitsAreRefusedWithAReason() throws Exception {
        Response unknown = get(query("/api/v1/admin/dead-letters/nothing"));
        Response badLimit = get(query("/api/v1/admin/dead-letters/timeline?limit=0"));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("message").asText()).contains("nothing", "timeline", "funnel");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().get("message").asText()).contains("limit");
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
