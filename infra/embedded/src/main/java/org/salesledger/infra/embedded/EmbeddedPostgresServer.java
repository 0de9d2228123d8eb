package org.salesledger.infra.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (zonky's packaged binaries) running as a child process, with its cluster kept in a
 * directory: a second start on the same directory finds the data of the first.
 *
 * <p>Crashes of the owner (ADR 0024): the owner holds {@code <dataDir>.lock} while the server runs, so a second
 * owner of a directory in use is refused with a clear message; a start clears what a dead owner left (an orphaned
 * server of the directory is stopped, a stale {@code postmaster.pid} removed: {@link LeftoverPostgres}); and where
 * the OS has a shell, a watchdog stops the server when this JVM dies, even by SIGKILL ({@link PostgresWatchdog}).
 *
 * <p>Doors closed (ADR 0028): the superuser has a generated password, kept in {@code <dataDir>-password} (owner
 * only), and the server asks it of every connection; a cluster made before that gets one at its next start.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final String USER = PostgresPassword.SUPERUSER;

    /** How long a start waits for the server: crash recovery after a killed owner replays the WAL first. */
    private static final Duration STARTUP_WAIT = Duration.ofMinutes(3);

    private final EmbeddedPostgres postgres;
    private final Path temporaryDir;
    private final OwnerLock owner;
    private final PostgresWatchdog watchdog;
    private final String password;
    private final Path passwordFile;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path temporaryDir, OwnerLock owner,
                                   PostgresWatchdog watchdog, String password, Path passwordFile) {
        this.postgres = postgres;
        this.password = password;
        this.passwordFile = passwordFile;
        this.temporaryDir = temporaryDir;
        this.owner = owner;
        this.watchdog = watchdog;
    }

    /** Starts on {@code dataDir} (created, or reused when it holds a cluster) and {@code port} (0: any free). */
    public static EmbeddedPostgresServer start(Path dataDir, int port) {
        return start(dataDir, port, null, true);
    }

    /**
     * Starts without the watchdog, so that the server outlives this JVM when it is killed: what an OS without a
     * shell gets; for tests of the orphan check.
     */
    public static EmbeddedPostgresServer startWithoutWatchdog(Path dataDir, int port) {
        return start(dataDir, port, null, false);
    }

    /** Starts on a fresh temporary directory that {@link #close()} deletes: for tests. */
    public static EmbeddedPostgresServer startTemporary() {
        try {
            Path dir = Files.createTempDirectory("salesledger-pg-");
            return start(dir.resolve("data"), 0, dir, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedPostgresServer start(Path dataDir, int port, Path temporaryDir, boolean watched) {
        OwnerLock owner = null;
        try {
            Files.createDirectories(dataDir);
            owner = OwnerLock.acquire(dataDir);
            LeftoverPostgres.clear(dataDir);
            String password = PostgresPassword.forStart(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // the owner stops it, in order: after the services that use it, not in a race with them
                    .setRegisterShutdownHook(false)
                    .setPort(port == 0 ? FreePort.pick() : port)
                    .setPgBinaryResolver(DefaultPostgresBinaryResolver.INSTANCE)
                    // after initdb, before the postmaster: the password set and kept, pg_hba asking for it (ADR 0028)
                    .setDataDirectoryCustomizer(cluster -> PostgresPassword.prepare(cluster, password))
                    .setConnectConfig("password", password)
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", temporaryDir != null ? "off" : "on")
                    .setServerConfig("synchronous_commit", temporaryDir != null ? "off" : "on")
                    .setPGStartupWait(STARTUP_WAIT)
                    .start();
            PostgresWatchdog watchdog = watched ? PostgresWatchdog.watch(dataDir).orElse(null) : null;
            return new EmbeddedPostgresServer(postgres, temporaryDir, owner, watchdog, password,
                    PostgresPassword.fileOf(dataDir));
        } catch (IOException | RuntimeException e) {
            if (owner != null) {
                owner.release();
            }
            if (e instanceof IllegalStateException refused) {
                throw refused;
            }
            throw new IllegalStateException("could not start the embedded PostgreSQL in " + dataDir + ": "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String user() {
        return USER;
    }

    /** The superuser's password, which the server asks of every connection (ADR 0028). */
    public String password() {
        return password;
    }

    /** The file that keeps {@link #password()}: {@code <dataDir>-password}, readable by its owner only. */
    public Path passwordFile() {
        return passwordFile;
    }

    /** The password kept for the cluster in {@code dataDir}, if a start has set one: for tools and tests. */
    public static java.util.Optional<String> keptPassword(Path dataDir) {
        return PostgresPassword.read(dataDir);
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

    /** The process id of the watchdog, if one watches this server. */
    public java.util.OptionalLong watchdogPid() {
        return watchdog == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(watchdog.pid());
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
        } finally {
            if (watchdog != null) {
                watchdog.disarm();
            }
            owner.release();
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
