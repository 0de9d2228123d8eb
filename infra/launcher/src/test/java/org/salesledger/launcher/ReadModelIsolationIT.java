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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestPostgres;

/**
 * A read model never moves past an event it did not apply (issue 16, ADR 0022). A write that fails for one customer
 * inside a processor batch of many — in the batched write, or at commit (a deferred check) — parks that customer's
 * failing event and its later ones in the dead-letter queue while every other customer of the batch is applied, in
 * every read model; a failure that cannot be isolated stops the read model, which says why and lags, and resumes with
 * nothing skipped once the cause is gone. The failures are PostgreSQL triggers the test puts on the read models'
 * tables: no test hook in the system. Each test imports customers of its own (in a region of its own) and leaves
 * no trigger and no dead letter behind, so that the shared queues are empty when a test begins.
 */
class ReadModelIsolationIT {

    private static final Duration CATCH_UP = Duration.ofSeconds(150);
    private static final String POISONED = "iso-poisoned";
    private static final int CUSTOMERS = 40;
    private static final List<String> READ_MODELS = List.of("timeline", "funnel", "worklists", "talktrack",
            "attribution", "health");

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
    void aWriteThatFailsForOneCustomerParksItsEventsWhileEveryOtherCustomerOfTheBatchIsAppliedInEveryReadModel()
            throws Exception {
        try {
            importWithOnePoisoned("iso");
            everyOtherCustomerIsAppliedWhileThePoisonedOneIsParked();
        } finally {
            removeTheCauseAndRetry();
        }
    }

    private static void everyOtherCustomerIsAppliedWhileThePoisonedOneIsParked() throws Exception {
        Map<String, Long> firstParked = Map.of("timeline", 1L, "funnel", 0L, "worklists", 0L, "talktrack", 1L,
                "attribution", 0L, "health", 1L);
        for (String readModel : READ_MODELS) {
            long first = firstParked.get(readModel);
            JsonNode letters = eventually(query("/api/v1/admin/dead-letters/" + readModel),
                    r -> r.status() == 200 && r.json().get("events").asLong() == 3 - first, CATCH_UP).json();
            assertThat(letters.get("events").asLong()).as(readModel + ": " + letters).isEqualTo(3 - first);
            assertThat(letters.get("customers").asLong()).as(readModel).isEqualTo(1);
            assertThat(letters.get("letters")).extracting(l -> l.get("customerId").asText()).as(readModel)
                    .containsOnly(POISONED);
            List<Long> sequences = new ArrayList<>();
            letters.get("letters").forEach(l -> sequences.add(l.get("sequenceNumber").asLong()));
            assertThat(sequences).as(readModel).containsExactlyElementsOf(
                    first == 0 ? List.of(0L, 1L, 2L) : List.of(1L, 2L));
            assertThat(letters.get("letters").get(0).get("cause").asText()).as(readModel).contains("test refuses");
        }
        caughtUp();

        Map<String, Integer> everyOther = new TreeMap<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            if (!customer("iso", i, POISONED).equals(POISONED)) {
                everyOther.put(customer("iso", i, POISONED), 3);
            }
        }
        Map<String, Integer> timeline = new TreeMap<>(everyOther);
        timeline.put(POISONED, 1);
        assertThat(rowsPerCustomer("timeline_event", "iso-")).isEqualTo(timeline);
        assertThat(rowsPerCustomer("funnel_customer", "iso-")).isEqualTo(once(everyOther));
        assertThat(rowsPerCustomer("worklist_customer", "iso-")).isEqualTo(once(everyOther));
        assertThat(rowsPerCustomer("talktrack_cycle", "iso-")).isEqualTo(once(everyOther));
        assertThat(rowsPerCustomer("attribution_customer", "iso-")).isEqualTo(once(everyOther));
        assertThat(rowsPerCustomer("health_contract", "iso-")).isEqualTo(once(everyOther));
        assertThat(get(query("/api/v1/funnel?region=iso")).json().get("won").asLong()).isEqualTo(CUSTOMERS - 1);
        assertThat(get(query("/api/v1/customers/" + POISONED + "/timeline")).json().get("events"))
                .extracting(e -> e.get("id").asText()).containsExactly(POISONED + "-0");
    }

    @Test
    void aRetryOnceTheCauseIsRemovedAppliesTheParkedEventsInEveryReadModel() throws Exception {
        String poisoned = "retry-poisoned";
        try {
            importWithOnePoisoned("retry");
            for (String readModel : READ_MODELS) {
                eventually(query("/api/v1/admin/dead-letters/" + readModel),
                        r -> r.status() == 200 && r.json().get("customers").asLong() == 1, CATCH_UP);
            }
            caughtUp();
        } finally {
            dropTheTriggers();
        }

        for (String readModel : READ_MODELS) {
            JsonNode retry = post(query("/api/v1/admin/dead-letters/" + readModel + "/retry"), "").json();
            assertThat(retry.get("sequencesApplied").asLong()).as(readModel + ": " + retry).isEqualTo(1);
            assertThat(retry.get("eventsLeft").asLong()).as(readModel).isZero();
        }

        assertThat(rowsPerCustomer("timeline_event", poisoned)).isEqualTo(Map.of(poisoned, 3));
        for (String table : List.of("funnel_customer", "worklist_customer", "talktrack_cycle", "attribution_customer",
                "health_contract")) {
            assertThat(rowsPerCustomer(table, poisoned)).as(table).isEqualTo(Map.of(poisoned, 1));
        }
        assertThat(eventually(query("/api/v1/funnel?region=retry"), r -> r.json().get("won").asLong() == CUSTOMERS,
                CATCH_UP).json().get("won").asLong()).isEqualTo(CUSTOMERS);
    }

    @Test
    void aFailureThatCannotBeIsolatedStopsTheReadModelWhichSaysWhyThenResumesWithNothingSkipped() throws Exception {
        sql("""
                CREATE OR REPLACE FUNCTION refuse_everyone() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  RAISE EXCEPTION 'test refuses every timeline row';
                END $$""");
        sql("CREATE TRIGGER refuse_everyone BEFORE INSERT ON timeline_event FOR EACH ROW "
                + "EXECUTE FUNCTION refuse_everyone()");
        try {
            Response imported = post(command("/api/v1/import"), journeys("stop", 12, null),
                    "Content-Type", "application/x-ndjson");
            assertThat(imported.json().get("accepted").asLong()).isEqualTo(36);

            JsonNode health = eventually(query("/actuator/health/readmodels"),
                    r -> r.json().path("components").path("readModels").path("details").path("timeline")
                            .path("state").asText().equals("STOPPED"), CATCH_UP).json();
            JsonNode timeline = health.path("components").path("readModels").path("details").path("timeline");
            assertThat(timeline.path("state").asText()).as(health.toString()).isEqualTo("STOPPED");
            assertThat(timeline.get("error").asText()).contains("test refuses every timeline row");
            assertThat(lag("timeline")).isPositive();
            assertThat(get(query("/api/v1/admin/dead-letters/timeline")).json().get("events").asLong()).isZero();
            // the other read models go on: the funnel counts this test's twelve customers won
            assertThat(eventually(query("/api/v1/funnel?region=stop"), r -> r.json().get("won").asLong() == 12,
                    CATCH_UP).json().get("won").asLong()).isEqualTo(12);
            assertThat(rowsPerCustomer("timeline_event", "stop-")).isEmpty();
        } finally {
            sql("DROP TRIGGER IF EXISTS refuse_everyone ON timeline_event");
        }

        eventually(query("/actuator/health/readmodels"),
                r -> r.json().path("components").path("readModels").path("details").path("timeline")
                        .path("state").asText().equals("RUNNING") && lagOrMinusOne("timeline") == 0, CATCH_UP);
        assertThat(lag("timeline")).isZero();
        assertThat(rowsPerCustomer("timeline_event", "stop-")).hasSize(12).allSatisfy((c, rows) ->
                assertThat(rows).as(c).isEqualTo(3));
        assertThat(get(query("/api/v1/admin/dead-letters/timeline")).json().get("events").asLong()).isZero();
    }

    // ---- the failures ----

    /**
     * Refuses, through triggers on the read models' tables, every write of a customer whose id ends in
     * {@code -poisoned}, then imports {@link #CUSTOMERS} customers of the region (ids {@code region-c-i}, the one in
     * the middle {@code region-poisoned}) in one file, so that each processor batch holds many customers.
     */
    private static void importWithOnePoisoned(String region) throws Exception {
        sql("""
                CREATE OR REPLACE FUNCTION refuse_poisoned() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.customer_id LIKE '%-poisoned' AND coalesce((to_jsonb(NEW) ->> 'seq')::bigint, 1) >= 1 THEN
                    RAISE EXCEPTION 'test refuses % of %', TG_TABLE_NAME, NEW.customer_id;
                  END IF;
                  RETURN NEW;
                END $$""");
        // when the batched write runs: the timeline (from the customer's second event on), the work lists, the
        // talk tracks, the health (from the customer's second event on); at commit, through checks deferred to the end
        // of the transaction: the funnel, the attribution
        for (String table : List.of("timeline_event", "worklist_customer", "talktrack_cycle", "health_action")) {
            sql("CREATE TRIGGER refuse_poisoned BEFORE INSERT OR UPDATE ON " + table
                    + " FOR EACH ROW EXECUTE FUNCTION refuse_poisoned()");
        }
        for (String table : List.of("funnel_customer", "attribution_customer")) {
            sql("CREATE CONSTRAINT TRIGGER refuse_poisoned AFTER INSERT OR UPDATE ON " + table
                    + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_poisoned()");
        }

        // one import: all customers' actions stored together, so each processor batch holds many customers
        Response imported = post(command("/api/v1/import"), journeys(region, CUSTOMERS, region + "-poisoned"),
                "Content-Type", "application/x-ndjson");
        assertThat(imported.status()).isEqualTo(200);
        assertThat(imported.json().get("accepted").asLong()).as(imported.body()).isEqualTo(CUSTOMERS * 3L);
    }

    private static void dropTheTriggers() throws Exception {
        for (String table : List.of("timeline_event", "worklist_customer", "talktrack_cycle", "funnel_customer",
                "attribution_customer", "health_action")) {
            sql("DROP TRIGGER IF EXISTS refuse_poisoned ON " + table);
        }
    }

    /** Leaves no cause and no dead letter behind: the triggers dropped, every read model's queue retried. */
    private static void removeTheCauseAndRetry() throws Exception {
        dropTheTriggers();
        caughtUp();
        for (String readModel : READ_MODELS) {
            JsonNode retry = post(query("/api/v1/admin/dead-letters/" + readModel + "/retry"), "").json();
            assertThat(retry.get("eventsLeft").asLong()).as(readModel + ": " + retry).isZero();
        }
    }

    // ---- actions ----

    /**
     * Three actions per customer of the region (registered, proposal, contract), the customers' actions interleaved.
     */
    private static String journeys(String region, int customers, String poisoned) {
        StringBuilder ndjson = new StringBuilder();
        for (int step = 0; step < 3; step++) {
            for (int i = 0; i < customers; i++) {
                String customer = customer(region, i, poisoned);
                String id = customer + "-" + step;
                String line = switch (step) {
                    case 0 -> envelope(id, "CustomerRegistered", customer, "2025-03-01T09:00:00+08:00", "rep-07",
                            "{\"name\":\"" + customer + "\",\"region\":\"" + region + "\",\"ownerRepId\":\"rep-07\","
                                    + "\"channel\":\"exhibition\"}");
                    case 1 -> envelope(id, "ProposalSent", customer, "2025-03-05T10:00:00+08:00", "rep-07",
                            "{\"document\":{\"uri\":\"s3://p/1.pdf\",\"mediaType\":\"application/pdf\"},"
                                    + "\"expectedDecisionDate\":\"2025-04-01\",\"keyParameters\":[\"price\",\"delivery\",\"warranty\"],"
                                    + "\"amount\":{\"value\":\"1200.50\",\"currency\":\"CNY\"}}");
                    default -> envelope(id, "ContractSigned", customer, "2025-03-20T10:00:00+08:00", "rep-07",
                            "{\"contractId\":\"K-" + customer + "\",\"amount\":{\"value\":\"99000\","
                                    + "\"currency\":\"CNY\"}}");
                };
                ndjson.append(line).append('\n');
            }
        }
        return ndjson.toString();
    }

    /** The i-th customer; the poisoned one in the middle of the others. */
    private static String customer(String region, int i, String poisoned) {
        return poisoned != null && i == CUSTOMERS / 2 ? poisoned : region + "-c-" + i;
    }

    private static Map<String, Integer> once(Map<String, Integer> customers) {
        Map<String, Integer> once = new TreeMap<>();
        customers.keySet().forEach(c -> once.put(c, 1));
        return once;
    }

    // ---- the system ----

    private static void caughtUp() throws Exception {
        for (String readModel : READ_MODELS) {
            eventually(query("/actuator/prometheus"), r -> lagOf(r.body(), readModel) == 0, CATCH_UP);
            assertThat(lag(readModel)).as(readModel).isZero();
        }
    }

    private static long lag(String readModel) throws Exception {
        return lagOf(get(query("/actuator/prometheus")).body(), readModel);
    }

    private static long lagOrMinusOne(String readModel) {
        try {
            return lag(readModel);
        } catch (Exception e) {
            return -1;
        }
    }

    private static long lagOf(String prometheus, String readModel) {
        Matcher m = Pattern.compile("salesledger_projection_lag_events\\{readModel=\"" + readModel
                + "\"} ([0-9.E]+)").matcher(prometheus);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    private static Map<String, Integer> rowsPerCustomer(String table, String prefix) throws Exception {
        Map<String, Integer> rows = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT customer_id, count(*) FROM " + table
                     + " WHERE customer_id LIKE '" + prefix + "%' GROUP BY customer_id")) {
            while (result.next()) {
                rows.put(result.getString(1), result.getInt(2));
            }
        }
        return rows;
    }

    private static void sql(String statement) throws Exception {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }
}
