package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.testing.TestHttp.get;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;

/**
 * The timeline's keys are built after a rebuild's replay (docs/adr/0020). A history holding two actions with one
 * envelope id — which the command side never stores, so it is written here by SQL — makes that build fail: the
 * rebuild says so and the live timeline stays as it was, and goes on updating.
 */
class RebuildRefusedIT {

    /** A topic of its own: the copied event is published too, and must not reach other tests' topic. */
    private static final String TOPIC = "salesledger.kafka.topic";

    @TempDir
    static Path dataDir;

    static Settings settings;
    static EmbeddedSystem system;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty(TOPIC, "salesledger.rebuild-refused-it.v1");
        settings = TestSystems.settings(dataDir);
        system = EmbeddedSystem.start(settings);
        TestSystems.signIn(system);
    }

    @AfterAll
    static void stop() {
        System.clearProperty(TOPIC);
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aHistoryWithTwoActionsUnderOneEnvelopeIdFailsTheTimelineRebuildAndLeavesTheLiveTimeline() throws Exception {
        String registered = TestHttp.envelope("dup-1", "CustomerRegistered", "cust-dup", "2025-03-01T09:00:00+08:00",
                "rep-07", "{\"name\":\"D\",\"region\":\"east\",\"ownerRepId\":\"rep-07\",\"channel\":\"web\"}");
        assertThat(TestHttp.post(command("/api/v1/actions"), registered, "Content-Type", "application/json").status())
                .isEqualTo(202);
        eventually(query("/api/v1/customers/cust-dup/timeline"), r -> r.json().path("events").size() == 1);
        sql("insert into domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, "
                + "time_stamp, payload_type, payload_revision, payload, meta_data) "
                + "select 'copy-' || event_identifier, aggregate_identifier, 100, type, time_stamp, payload_type, "
                + "payload_revision, payload, meta_data from domain_event_entry "
                + "where aggregate_identifier = 'cust-dup' and sequence_number = 0");
        java.util.regex.Pattern lag = java.util.regex.Pattern.compile(
                "salesledger_projection_lag_events\\{readModel=\"timeline\"} (\\S+)");
        eventually(query("/actuator/prometheus"), r -> {
            java.util.regex.Matcher m = lag.matcher(r.body());
            return m.find() && Double.parseDouble(m.group(1)) == 0;
        });
        List<String> before = timelineRows();

        Response started = TestHttp.post(query("/api/v1/admin/rebuilds/timeline"), "");
        Response ended = TestHttp.eventually(query("/api/v1/admin/rebuilds/timeline"),
                r -> r.json().path("state").asText().matches("DONE|FAILED"), Duration.ofSeconds(120));

        assertThat(started.status()).isEqualTo(202);
        assertThat(ended.json().path("state").asText()).isEqualTo("FAILED");
        assertThat(ended.json().path("message").asText())
                .contains("timeline_event", "the live tables were left as they were");
        assertThat(timelineRows()).isEqualTo(before).hasSize(1);
        assertThat(TestHttp.post(command("/api/v1/actions"), TestHttp.envelope("dup-2", "VisitLogged", "cust-dup",
                "2025-03-02T09:00:00+08:00", "rep-07", "{\"contactRole\":\"equipment\",\"location\":{\"lat\":31.2,"
                        + "\"lon\":121.5}}"), "Content-Type",
                "application/json").status()).isEqualTo(202);
        eventually(query("/api/v1/customers/cust-dup/timeline"), r -> r.json().path("events").size() == 2);
    }

    private static List<String> timelineRows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT action_id, customer_id, seq, data::text FROM timeline_event "
                     + "ORDER BY action_id")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getLong(3) + "|" + rs.getString(4));
            }
        }
        return rows;
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
             Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }

    private static void eventually(URI uri, java.util.function.Predicate<Response> done) throws Exception {
        Response last = TestHttp.eventually(uri, done, Duration.ofSeconds(120));
        assertThat(done.test(last)).as("caught up; last answer: %s", last.body()).isTrue();
    }
}
