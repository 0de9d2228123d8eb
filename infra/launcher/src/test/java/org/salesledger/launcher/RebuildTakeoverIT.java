package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.testing.TestHttp.envelope;
import static org.salesledger.testing.TestHttp.post;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.projections.rebuild.ReadModelRebuilds;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestPostgres;

/**
 * A read-model rebuild is kept in PostgreSQL (ADR 0037): two nodes on one database; a rebuild started on the first
 * is followed on the second, and when the first stops in the middle of it, the second takes it over once its
 * heartbeat is old, rebuilds the read model again from the first event, and switches to it — every read model then
 * holds what the event store holds.
 */
class RebuildTakeoverIT {

    private static final int CUSTOMERS = 300;
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    Path dir1;

    @TempDir
    Path dir2;

    private final String run = "rb" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aRebuildWhoseNodeStopsIsFollowedFromAnotherNodeAndDoneThere() throws Exception {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        EmbeddedSystem node1 = null;
        EmbeddedSystem node2 = null;
        try {
            // the first node replays one event per transaction, so that it is stopped in the middle
            node1 = start(db, dir1, "rebuild-node-1", 1);
            node2 = start(db, dir2, "rebuild-node-2", 10_000);
            TestHttp.signInAsAdmin(node1.commandPort());
            String token1 = TestHttp.currentToken();
            TestHttp.useTokenFor(token1, node1.commandPort(), node1.queryPort());
            TestHttp.signInAsAdmin(node2.commandPort());
            TestHttp.useTokenFor(TestHttp.currentToken(), node2.commandPort(), node2.queryPort());
            URI query1 = URI.create("http://localhost:" + node1.queryPort());
            URI query2 = URI.create("http://localhost:" + node2.queryPort());

            TestHttp.Response imported = post(URI.create("http://localhost:" + node1.commandPort()
                    + "/api/v1/import"), journeys(), "Content-Type", "application/x-ndjson");
            assertThat(imported.json().get("accepted").asLong()).as(imported.toString()).isEqualTo(CUSTOMERS * 3L);
            TestHttp.eventually(query2.resolve("/api/v1/customers/" + run + "-c" + (CUSTOMERS - 1) + "/timeline"),
                    r -> r.status() == 200 && r.json().path("events").size() == 3, WAIT);

            assertThat(TestHttp.sendAs(token1, "POST", query1.resolve("/api/v1/admin/rebuilds/timeline"), "")
                    .status()).isEqualTo(202);
            // the other node answers the rebuild's status while the first one runs it
            JsonNode seenElsewhere = TestHttp.eventually(query2.resolve("/api/v1/admin/rebuilds/timeline"),
                    r -> r.status() == 200 && r.json().path("state").asText().equals("REPLAYING")
                            && r.json().path("eventsDone").asLong() > 0, WAIT).json();
            assertThat(seenElsewhere.get("eventsTotal").asLong()).isPositive();

            // the first node stops in the middle of the rebuild (its rebuilds first, then the rest of it)
            node1.querySide().getBean(ReadModelRebuilds.class).stop();
            node1.close();
            node1 = null;

            JsonNode done = TestHttp.eventually(query2.resolve("/api/v1/admin/rebuilds/timeline"),
                    r -> r.status() == 200 && (r.json().path("state").asText().equals("DONE")
                            || r.json().path("state").asText().equals("FAILED")), WAIT).json();
            assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("DONE");
            assertThat(done.get("eventsDone").asLong()).isEqualTo(done.get("eventsTotal").asLong());
            assertThat(single(db, "select node from read_model_rebuild_job where read_model = 'timeline'"))
                    .isEqualTo("rebuild-node-2");
            assertThat(single(db, "select takeovers::text from read_model_rebuild_job where read_model = 'timeline'"))
                    .isEqualTo("1");

            // the other read models catch up on the segments node 1 left (the check counts, not compares, the
            // customers whose events are not applied yet): checked again until every customer is compared
            JsonNode report = check(query2);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!allCompared(report) && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                report = check(query2);
            }
            assertThat(report.get("differencesTotal").asLong()).as(report.toString()).isZero();
            assertThat(report.get("readModels")).allSatisfy(model ->
                    assertThat(model.get("customersCompared").asLong()).as(model.toString()).isEqualTo(CUSTOMERS));
        } finally {
            if (node2 != null) {
                node2.close();
            }
            if (node1 != null) {
                node1.close();
            }
        }
    }

    private static JsonNode check(URI querySide) throws Exception {
        assertThat(post(querySide.resolve("/api/v1/admin/consistency"), "").status()).isEqualTo(202);
        return TestHttp.eventually(querySide.resolve("/api/v1/admin/consistency"),
                r -> r.status() == 200 && !r.json().path("state").asText().equals("RUNNING"), WAIT).json();
    }

    private static boolean allCompared(JsonNode report) {
        for (JsonNode model : report.get("readModels")) {
            if (model.get("customersCompared").asLong() != CUSTOMERS) {
                return false;
            }
        }
        return true;
    }

    private String journeys() {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < CUSTOMERS; i++) {
            String customer = run + "-c" + i;
            ndjson.append(envelope(customer + "-0", "CustomerRegistered", customer, "2025-03-01T09:00:00+08:00",
                    "rep-07", "{\"name\":\"" + customer + "\",\"region\":\"east\",\"ownerRepId\":\"rep-07\","
                            + "\"channel\":\"exhibition\"}")).append('\n');
            ndjson.append(envelope(customer + "-1", "ProposalSent", customer, "2025-03-05T10:00:00+08:00", "rep-07",
                    "{\"document\":{\"uri\":\"s3://p/1.pdf\",\"mediaType\":\"application/pdf\"},"
                            + "\"expectedDecisionDate\":\"2025-04-01\",\"keyParameters\":[\"price\",\"delivery\","
                            + "\"warranty\"],\"amount\":{\"value\":\"1200.50\",\"currency\":\"CNY\"}}")).append('\n');
            ndjson.append(envelope(customer + "-2", "ContractSigned", customer, "2025-03-20T10:00:00+08:00", "rep-07",
                    "{\"contractId\":\"K-" + customer + "\",\"amount\":{\"value\":\"99000\",\"currency\":\"CNY\"}}"))
                    .append('\n');
        }
        return ndjson.toString();
    }

    private static EmbeddedSystem start(TestPostgres.TestDatabase db, Path dir, String name, int chunkSize)
            throws Exception {
        System.setProperty("salesledger.processing.node-name", name);
        System.setProperty("salesledger.rebuild.chunk-size", String.valueOf(chunkSize));
        System.setProperty("salesledger.rebuild.heartbeat-timeout", "2s");
        System.setProperty("salesledger.admin-client-secret", TestHttp.ADMIN_SECRET);
        try {
            return EmbeddedSystem.start(TestSystems.settings(db, dir));
        } finally {
            System.clearProperty("salesledger.processing.node-name");
            System.clearProperty("salesledger.rebuild.chunk-size");
            System.clearProperty("salesledger.rebuild.heartbeat-timeout");
            System.clearProperty("salesledger.admin-client-secret");
        }
    }

    private static String single(TestPostgres.TestDatabase db, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             ResultSet row = connection.createStatement().executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
