package org.salesledger.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Doors closed (ADR 0028): the embedded PostgreSQL asks every connection for the superuser's generated password,
 * which is kept owner-only beside the cluster; a cluster made by an earlier build, which trusted every local
 * connection, gets a password at its next start and keeps its data.
 */
class EmbeddedPostgresPasswordIT {

    @TempDir
    Path dir;

    @Test
    void aNewClusterAsksEveryConnectionForTheGeneratedPasswordKeptOwnerOnlyBesideIt() throws Exception {
        Path data = dir.resolve("postgres");
        String password;
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, 0)) {
            password = pg.password();
            Path file = dir.resolve("postgres-password");

            assertThat(pg.passwordFile()).isEqualTo(file);
            assertThat(file).isRegularFile();
            assertThat(Files.readString(file).trim()).isEqualTo(password);
            assertThat(password).hasSizeGreaterThanOrEqualTo(40).matches("[A-Za-z0-9_-]+");
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            }
            assertThat(pg.jdbcUrl()).doesNotContain(password);

            assertRefused(pg.jdbcUrl(), null);
            assertRefused(pg.jdbcUrl(), "");
            assertRefused(pg.jdbcUrl(), "wrong-" + password);
            assertThat(select(pg.jdbcUrl(), password, "SELECT current_user")).isEqualTo("postgres");
            assertThat(select(pg.jdbcUrl(), password, "SHOW password_encryption")).isEqualTo("scram-sha-256");
            assertThat(select(pg.jdbcUrl(), password, "SHOW listen_addresses")).isEqualTo("localhost");
            assertThat(select(pg.jdbcUrl(), password,
                    "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'")).isEqualTo("0");
        }
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(data, 0)) {
            assertThat(again.password()).as("the kept password, not a new one").isEqualTo(password);
            assertRefused(again.jdbcUrl(), null);
            assertThat(select(again.jdbcUrl(), password, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void aClusterMadeByAnEarlierBuildWithoutAPasswordGetsOneAtItsNextStartAndKeepsItsData() throws Exception {
        Path data = dir.resolve("postgres");
        // the earlier build: zonky's defaults (initdb -A trust), no password, no password file
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setPort(FreePort.pick()).start()) {
            String url = old.getJdbcUrl("postgres", "postgres");
            try (Connection c = DriverManager.getConnection(url, "postgres", null);
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('from the earlier build')");
            }
        }
        assertThat(dir.resolve("postgres-password")).doesNotExist();

        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, 0)) {
            assertThat(dir.resolve("postgres-password")).isRegularFile();
            assertThat(Files.readString(dir.resolve("postgres-password")).trim()).isEqualTo(pg.password());
            assertRefused(pg.jdbcUrl(), null);
            assertRefused(pg.jdbcUrl(), "wrong");
            assertThat(select(pg.jdbcUrl(), pg.password(), "SELECT v FROM kept")).isEqualTo("from the earlier build");
        }
    }

    @Test
    void deletingThePasswordFileGivesANewPasswordAtTheNextStartAndTheOldOneStopsWorking() throws Exception {
        Path data = dir.resolve("postgres");
        String first;
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, 0)) {
            first = pg.password();
        }
        Files.delete(dir.resolve("postgres-password"));

        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, 0)) {
            assertThat(pg.password()).isNotEqualTo(first);
            assertThat(Files.readString(dir.resolve("postgres-password")).trim()).isEqualTo(pg.password());
            assertRefused(pg.jdbcUrl(), first);
            assertThat(select(pg.jdbcUrl(), pg.password(), "SELECT 1")).isEqualTo("1");
        }
    }

    private static void assertRefused(String url, String password) {
        assertThatThrownBy(() -> connect(url, password).close())
                .as("a connection with password %s", password == null ? "none" : "'" + password + "'")
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                        .as(e.getMessage()).isIn("28P01", "08004"));
    }

    private static Connection connect(String url, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(url, properties);
    }

    private static String select(String url, String password, String sql) throws SQLException {
        try (Connection c = connect(url, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
