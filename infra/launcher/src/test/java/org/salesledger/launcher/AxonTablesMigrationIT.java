package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.testing.TestHttp.envelope;
import static org.salesledger.testing.TestHttp.eventually;
import static org.salesledger.testing.TestHttp.post;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.infra.platform.ProcessorSpreading;
import org.salesledger.testing.TestPostgres;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Axon's {@code token_entry} and {@code dead_letter_entry} are created by one migration, infra/platform's
 * {@code db/axon} V1, which both sides run before their own: on a new database, and on a database an earlier build
 * migrated (when db/command V1/V2 and db/projections V1/V50 created them, twice), which still starts — its histories'
 * checksums of those four migrations are brought up to date — and keeps working, start after start. A new database's
 * processors get {@code salesledger.processing.segments} segments each (ADR 0043).
 */
class AxonTablesMigrationIT {

    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    @TempDir
    Path dataDir;

    @Test
    void aNewDatabaseGetsAxonsTablesFromTheOneAxonMigration() throws Exception {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();

        try (EmbeddedSystem system = EmbeddedSystem.start(TestSystems.settings(db, dataDir))) {
            TestSystems.signIn(system);
            sendAndSee(system, "new-1", "cust-new");
        }

        // V1 Axon's tables, V2 the users and organisation (db/identity, ADR 0027), shared the same way
        assertThat(strings(db, "SELECT version FROM flyway_history_axon WHERE success AND type = 'SQL'"))
                .containsExactly("1", "2");
        assertThat(strings(db, "SELECT table_name FROM information_schema.tables WHERE table_name IN "
                + "('token_entry', 'dead_letter_entry') ORDER BY table_name"))
                .containsExactly("dead_letter_entry", "token_entry");
        // every streaming processor of both sides made salesledger.processing.segments segments, not Axon's 16
        int segments = ProcessorSpreading.Settings.DEFAULT_SEGMENTS;
        assertThat(strings(db, "SELECT processor_name || '=' || count(*) FROM token_entry "
                + "GROUP BY processor_name ORDER BY processor_name"))
                .containsExactly(Stream.of("attribution", "funnel", "health", "kafka-relay", "pool-owners", "rules",
                        "talktrack", "timeline", "timers", "worklists").map(name -> name + "=" + segments)
                        .toArray(String[]::new));
    }

    @Test
    void aDatabaseMigratedByTheEarlierMigrationsStillStartsAndWorksStartAfterStart() throws Exception {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        // the migrations as the build before this one had them (test resources), each side's in its own history
        migrateAsBefore(db, "command", "flyway_history_command");
        migrateAsBefore(db, "projections", "flyway_history_query");

        try (EmbeddedSystem system = EmbeddedSystem.start(TestSystems.settings(db, dataDir))) {
            TestSystems.signIn(system);
            sendAndSee(system, "old-1", "cust-old");
        }
        try (EmbeddedSystem again = EmbeddedSystem.start(TestSystems.settings(db, dataDir))) {
            TestSystems.signIn(again);
            sendAndSee(again, "old-2", "cust-old-2");
        }

        // V1 Axon's tables, V2 the users and organisation (db/identity, ADR 0027), shared the same way
        assertThat(strings(db, "SELECT version FROM flyway_history_axon WHERE success AND type = 'SQL'"))
                .containsExactly("1", "2");
        // each side's history: one success per migration, no failed or repeated one
        assertThat(strings(db, "SELECT version FROM flyway_history_command WHERE NOT success")).isEmpty();
        assertThat(strings(db, "SELECT version FROM flyway_history_query WHERE NOT success")).isEmpty();
    }

    /**
     * Migrates the database as the build before this one did: today's scripts of the side, except those this change
     * rewrote, which are taken as they were (test resources {@code db/before-axon-migration/<side>}).
     */
    private void migrateAsBefore(TestPostgres.TestDatabase db, String side, String history) throws Exception {
        Path scripts = Files.createDirectories(dataDir.resolve("migrations-before-" + side));
        String today = side.equals("command") ? "db/command" : "db/projections";
        var resolver = new PathMatchingResourcePatternResolver();
        for (String location : List.of("classpath*:" + today + "/*.sql", "classpath*:db/before-axon-migration/" + side
                + "/*.sql")) {
            for (Resource script : resolver.getResources(location)) {
                try (InputStream in = script.getInputStream()) {
                    Files.copy(in, scripts.resolve(script.getFilename()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("filesystem:" + scripts).table(history)
                .baselineOnMigrate(true).baselineVersion("0").outOfOrder(true)
                .load().migrate();
    }

    private static void sendAndSee(EmbeddedSystem system, String id, String customer) throws Exception {
        assertThat(post(URI.create("http://localhost:" + system.commandPort() + "/api/v1/actions"),
                envelope(id, "CustomerRegistered", customer, "2025-03-01T09:00:00+08:00", "rep-07",
                        "{\"name\":\"" + customer + "\",\"region\":\"east\",\"ownerRepId\":\"rep-07\","
                                + "\"channel\":\"exhibition\"}")).status()).isEqualTo(202);
        assertThat(eventually(URI.create("http://localhost:" + system.queryPort() + "/api/v1/customers/" + customer
                + "/timeline"), r -> r.status() == 200, CATCH_UP).status()).isEqualTo(200);
    }

    private static List<String> strings(TestPostgres.TestDatabase db, String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
