package org.salesledger.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An owner of the embedded PostgreSQL that dies without stopping it (SIGKILL, the OOM killer) leaves nothing that
 * blocks the next start: the server dies with it where a watchdog can run, an orphan is found and stopped where
 * not, a stale {@code postmaster.pid} naming someone else's process is cleared; a live owner's server is left alone.
 * Each owner is a JVM of its own, killed with SIGKILL ({@link Process#destroyForcibly()}).
 */
class EmbeddedPostgresAfterItsOwnerDiedIT {

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aPostgresOrphanedByAKilledOwnerIsStoppedAtTheNextStartWhichFindsItsData() throws Exception {
        Path data = dir.resolve("pg");
        Process owner = owner(data, "unwatched");
        int port = awaitPort(data, owner);
        execute(data, port, "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('written before the kill')");
        long postmaster = postmasterPid(data);

        owner.destroyForcibly().waitFor();
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive))
                .as("the server outlived its owner: the orphan this test is about").contains(true);

        try (EmbeddedPostgresServer next = EmbeddedPostgresServer.start(data, 0);
             Connection c = DriverManager.getConnection(next.jdbcUrl(), next.user(), next.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("written before the kill");
            assertThat(next.port()).isNotEqualTo(port);
        }
        assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive)).as("the orphan was stopped").isEmpty();
    }

    @Test
    void aKilledOwnersPostgresDiesWithItThroughTheWatchdog() throws Exception {
        Path data = dir.resolve("pg");
        Process owner = owner(data, "watched");
        awaitPort(data, owner);
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid(data)).orElseThrow();

        owner.destroyForcibly().waitFor();

        postmaster.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(postmaster.isAlive()).isFalse();
        assertThat(data.resolve("postmaster.pid")).as("a clean shutdown removes its pid file").doesNotExist();
    }

    @Test
    void aDirectoryInUseByALiveOwnerIsRefusedWithAClearMessageAndItsServerIsLeftAlone() throws Exception {
        Path data = dir.resolve("pg");
        Process owner = owner(data, "watched");
        int port = awaitPort(data, owner);
        long postmaster = postmasterPid(data);

        assertThatThrownBy(() -> EmbeddedPostgresServer.start(data, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(data + " is in use by another running Sales Ledger (pid " + owner.pid() + ")");

        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).contains(true);
        execute(data, port, "SELECT 1");
    }

    @Test
    void aStalePidFileNamingAProcessThatIsNotItsPostgresIsClearedAfterAPowerLoss() throws Exception {
        Path data = dir.resolve("pg");
        EmbeddedPostgresServer.start(data, 0).close();
        // after a power loss the file survives, and its process id may now belong to anything: here, a sleeper
        Process stranger = start(new ProcessBuilder("sleep", "600"));
        Files.writeString(data.resolve("postmaster.pid"), stranger.pid() + "\n" + data + "\n1700000000\n5432\n"
                + "/tmp\nlocalhost\n  1234567     98304\nready   \n");

        try (EmbeddedPostgresServer next = EmbeddedPostgresServer.start(data, 0)) {
            execute(data, next.port(), "SELECT 1");
        }
        assertThat(stranger.isAlive()).as("the stranger is not touched").isTrue();
    }

    private Process owner(Path data, String mode) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), PostgresOwner.class.getName(),
                data.toString(), mode)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("owner.log").toFile());
        return start(builder);
    }

    private Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private int awaitPort(Path data, Process owner) throws Exception {
        Path port = data.resolveSibling(data.getFileName() + ".port");
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!Files.exists(port)) {
            if (!owner.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the owner did not start its server: " + Files.readString(dir.resolve("owner.log")));
            }
            Thread.sleep(100);
        }
        return Integer.parseInt(Files.readString(port).trim());
    }

    private static long postmasterPid(Path data) throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    }

    /** Runs statements as the superuser, with the password the owner's start kept beside {@code data}. */
    private static void execute(Path data, int port, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres",
                EmbeddedPostgresServer.keptPassword(data).orElseThrow()); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
