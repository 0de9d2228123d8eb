package org.salesledger.infra.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (zonky's packaged binaries) running as a child process, with its cluster kept in a
 * directory: a second start on the same directory finds the data of the first.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path temporaryDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path temporaryDir) {
        this.postgres = postgres;
        this.temporaryDir = temporaryDir;
    }

    /** Starts on {@code dataDir} (created, or reused when it holds a cluster) and {@code port} (0: any free). */
    public static EmbeddedPostgresServer start(Path dataDir, int port) {
        return start(dataDir, port, null);
    }

    /** Starts on a fresh temporary directory that {@link #close()} deletes: for tests. */
    public static EmbeddedPostgresServer startTemporary() {
        try {
            Path dir = Files.createTempDirectory("salesledger-pg-");
            return start(dir.resolve("data"), 0, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedPostgresServer start(Path dataDir, int port, Path temporaryDir) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // the owner stops it, in order: after the services that use it, not in a race with them
                    .setRegisterShutdownHook(false)
                    .setPort(port == 0 ? FreePort.pick() : port)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", temporaryDir != null ? "off" : "on")
                    .setServerConfig("synchronous_commit", temporaryDir != null ? "off" : "on")
                    .start();
            return new EmbeddedPostgresServer(postgres, temporaryDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String user() {
        return USER;
    }

    public String password() {
        return "";
    }

    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl(USER, database);
    }

    /** Creates the database unless it exists. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be lower-case letters, digits and _: " + name);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (exists.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
        } finally {
            if (temporaryDir != null) {
                deleteQuietly(temporaryDir);
            }
        }
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temporary directory
        }
    }
}
