package org.salesledger.infra.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the embedded PostgreSQL die with this JVM, however the JVM dies. PostgreSQL runs detached (pg_ctl starts it
 * in a session of its own), so nothing stops it when its owner is killed with SIGKILL; and Java cannot ask Linux to
 * signal a child when its parent dies (prctl needs native code). So a tiny shell process waits on a pipe from this
 * JVM, using only shell built-ins: the pipe's end closes when this JVM exits for any reason, the watchdog reads
 * end-of-file and sends the postmaster SIGINT (a fast shutdown) — only if {@code postmaster.pid} still names the
 * same process. A clean stop disarms it first. POSIX systems only (a {@code /bin/sh}); elsewhere there is none,
 * and the next start's {@link LeftoverPostgres} check stops an orphan instead.
 */
final class PostgresWatchdog {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresWatchdog.class);

    private static final String SCRIPT = """
            trap '' INT HUP
            while IFS= read -r line; do [ "$line" = disarm ] && exit 0; done
            IFS= read -r running 2>/dev/null < "$1/postmaster.pid" || exit 0
            [ "$running" = "$2" ] && kill -INT "$2"
            exit 0
            """;

    private final Process process;

    private PostgresWatchdog(Process process) {
        this.process = process;
    }

    /** Watches the postmaster named in {@code dataDir}'s {@code postmaster.pid}; empty where the OS has no shell. */
    static Optional<PostgresWatchdog> watch(Path dataDir) {
        Path shell = Path.of("/bin/sh");
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
                || !Files.isExecutable(shell)) {
            LOG.info("no watchdog for the embedded PostgreSQL on this OS: an orphan is stopped at the next start");
            return Optional.empty();
        }
        Optional<LeftoverPostgres.PidFile> pidFile = LeftoverPostgres.read(dataDir.resolve("postmaster.pid"));
        if (pidFile.isEmpty()) {
            LOG.warn("no postmaster.pid in {}: the embedded PostgreSQL runs without a watchdog", dataDir);
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder(shell.toString(), "-c", SCRIPT, "salesledger-postgres-watchdog",
                    dataDir.toString(), Long.toString(pidFile.get().pid()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return Optional.of(new PostgresWatchdog(process));
        } catch (IOException e) {
            LOG.warn("could not start the watchdog of the embedded PostgreSQL ({}): an orphan is stopped at the next "
                    + "start", e.getMessage());
            return Optional.empty();
        }
    }

    long pid() {
        return process.pid();
    }

    /** The owner stops PostgreSQL itself: the watchdog exits without acting. */
    void disarm() {
        try (OutputStream in = process.getOutputStream()) {
            in.write("disarm\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException gone) {
            // it has exited already
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
