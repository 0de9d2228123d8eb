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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestPostgres;

/**
 * A read model declares the schema version of what its projection writes; the query side, starting with a version
 * other than the one the read model's tables were built with, rebuilds it through the normal rebuild (shadow tables,
 * progress, the old tables answering meanwhile) and stores the new version — no migration resets a token. Here the
 * timeline's version is raised by configuration between two starts.
 */
class SchemaVersionRebuildIT {

    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    private static final String TIMELINE_VERSION = "salesledger.read-models.timeline.schema-version";
    private static final List<String> CUSTOMERS = List.of("sv-1", "sv-2", "sv-3");

    @TempDir
    Path dataDir;

    @Test
    void aRaisedSchemaVersionRebuildsThatReadModelAtStartWhileItKeepsAnsweringAndRecordsTheVersion()
            throws Exception {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        Map<String, JsonNode> before = new LinkedHashMap<>();
        try (EmbeddedSystem system = EmbeddedSystem.start(TestSystems.settings(db, dataDir))) {
            TestSystems.signIn(system);
            for (String customer : CUSTOMERS) {
                send(system, customer + "-reg", "CustomerRegistered", customer, "{\"name\":\"" + customer
                        + "\",\"region\":\"east\",\"ownerRepId\":\"rep-07\",\"channel\":\"exhibition\"}");
                send(system, customer + "-visit", "VisitLogged", customer,
                        "{\"contactRole\":\"buyer\",\"location\":{\"lat\":31.2,\"lon\":121.5}}");
                send(system, customer + "-needs", "NeedsConfirmed", customer, "{\"needs\":[\"CT\"]}");
            }
            for (String customer : CUSTOMERS) {
                before.put(customer, eventually(timeline(system, customer),
                        r -> r.status() == 200 && r.json().get("events").size() == 3, CATCH_UP).json());
            }
            // a fresh database: every read model is taken to be at its declared version, nothing is rebuilt
            assertThat(get(query(system, "/api/v1/admin/rebuilds/timeline")).status()).isEqualTo(404);
        }
        // the timeline declares version 2 (issue 17: recorded_by, timeline_ownership)
        assertThat(version(db, "timeline")).isEqualTo(2);
        assertThat(version(db, "funnel")).isEqualTo(2); // issue 17: no owner while in the public pool

        EmbeddedSystem restarted;
        System.setProperty(TIMELINE_VERSION, "3");
        try {
            restarted = EmbeddedSystem.start(TestSystems.settings(db, dataDir));
            TestSystems.signIn(restarted);
        } finally {
            System.clearProperty(TIMELINE_VERSION);
        }
        try (EmbeddedSystem system = restarted) {
            // the old tables answer while the rebuild runs
            assertThat(get(timeline(system, "sv-1")).json().get("events")).isEqualTo(before.get("sv-1").get("events"));

            Response rebuild = eventually(query(system, "/api/v1/admin/rebuilds/timeline"),
                    r -> r.status() == 200 && r.json().get("state").asText().equals("DONE"), CATCH_UP);

            assertThat(rebuild.json().get("state").asText()).as(rebuild.body()).isEqualTo("DONE");
            assertThat(get(query(system, "/api/v1/admin/rebuilds/funnel")).status()).isEqualTo(404);
            for (String customer : CUSTOMERS) {
                assertThat(get(timeline(system, customer)).json()).isEqualTo(before.get(customer));
            }
        }
        assertThat(version(db, "timeline")).isEqualTo(3);
        assertThat(version(db, "funnel")).isEqualTo(2); // 2: no owner while in the public pool
    }

    private static void send(EmbeddedSystem system, String id, String type, String customer, String data)
            throws Exception {
        Response response = post(URI.create("http://localhost:" + system.commandPort() + "/api/v1/actions"),
                envelope(id, type, customer, "2025-03-01T09:00:00+08:00", "rep-07", data));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
    }

    private static URI timeline(EmbeddedSystem system, String customer) {
        return query(system, "/api/v1/customers/" + customer + "/timeline");
    }

    private static URI query(EmbeddedSystem system, String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }

    private static int version(TestPostgres.TestDatabase db, String readModel) throws Exception {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT version FROM read_model_version WHERE read_model = '" + readModel + "'")) {
            assertThat(rows.next()).as("a version stored for " + readModel).isTrue();
            return rows.getInt(1);
        }
    }
}
