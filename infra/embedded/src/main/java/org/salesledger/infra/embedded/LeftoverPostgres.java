package org.salesledger.infra.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an owner that died without stopping its PostgreSQL (SIGKILL, the OOM killer, a crash) left in a data
 * directory, and clearing it before the next start. Called only by an owner that holds the directory's owner lock,
 * so no live owner uses the directory: a PostgreSQL still running on it is an orphan.
 *
 * <p>{@code postmaster.pid} names the process. It is acted on only when that process is a {@code postgres} whose
 * working directory (or {@code -D} argument) is this data directory: then it is stopped with a fast shutdown, as a
 * clean stop would. When the process is something else (its id reused after a power loss or a reboot),
 * the file is stale and removed, as PostgreSQL itself would if it could tell. When nothing can be told (another
 * user's process), the file is left for PostgreSQL to judge.
 */
final class LeftoverPostgres {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverPostgres.class);
    private static final long STOP_WAIT_SECONDS = 120;

    /** Who a live process named in {@code postmaster.pid} is. */
    enum Kind { THIS_DIRECTORYS_POSTGRES, SOMETHING_ELSE, UNKNOWN }

    /** The first lines of {@code postmaster.pid}: the postmaster's process id and its port ({@code -1}: unknown). */
    record PidFile(long pid, int port) {
    }

    private LeftoverPostgres() {
    }

    /** Stops an orphaned PostgreSQL of {@code dataDir}, or removes a stale {@code postmaster.pid}; else nothing. */
    static void clear(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        Optional<PidFile> read = read(pidFile);
        if (read.isEmpty()) {
            return;
        }
        long pid = read.get().pid();
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return; // the process is gone: PostgreSQL removes its stale file itself
        }
        switch (kind(process.get(), dataDir)) {
            case THIS_DIRECTORYS_POSTGRES -> stop(process.get(), dataDir, read.get());
            case SOMETHING_ELSE -> {
                LOG.warn("{} names process {}, which is not a PostgreSQL of this directory (its id was reused after "
                        + "a crash): removing the stale file", pidFile, pid);
                try {
                    Files.deleteIfExists(pidFile);
                } catch (IOException e) {
                    throw new IllegalStateException("could not remove the stale " + pidFile + ": " + e.getMessage(), e);
                }
            }
            case UNKNOWN -> LOG.warn("{} names process {}, which this user cannot inspect: leaving it to PostgreSQL",
                    pidFile, pid);
        }
    }

    static Optional<PidFile> read(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
                return Optional.empty();
            }
            int port = lines.size() > 3 && lines.get(3).trim().matches("\\d+") ? Integer.parseInt(lines.get(3).trim())
                    : -1;
            return Optional.of(new PidFile(Long.parseLong(lines.get(0).trim()), port));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // absent, or half written by a postmaster that died starting
        }
    }

    /**
     * The file name of a process's program. Linux names a program whose file was deleted while it runs
     * "{@code … (deleted)}": an orphan whose binaries a temporary-file cleaner removed is still a {@code postgres}.
     */
    static String programName(String command) {
        return Path.of(command).getFileName().toString().replaceFirst(" \\(deleted\\)$", "");
    }

    /**
     * Whether {@code process} is the PostgreSQL server of {@code dataDir}: its executable is {@code postgres}, and its
     * working directory (a postmaster changes into its data directory) or its {@code -D} argument is that directory.
     */
    static Kind kind(ProcessHandle process, Path dataDir) {
        ProcessHandle.Info info = process.info();
        Optional<String> command = info.command();
        if (command.isEmpty()) {
            return Kind.UNKNOWN;
        }
        String executable = programName(command.get());
        if (!executable.equals("postgres") && !executable.equals("postgres.exe")) {
            return Kind.SOMETHING_ELSE;
        }
        Path directory = real(dataDir);
        Path cwd = Path.of("/proc", Long.toString(process.pid()), "cwd");
        if (Files.isSymbolicLink(cwd) || Files.isDirectory(cwd)) {
            try {
                return cwd.toRealPath().equals(directory) ? Kind.THIS_DIRECTORYS_POSTGRES : Kind.SOMETHING_ELSE;
            } catch (IOException cannotTell) {
                // fall back to the arguments
            }
        }
        Optional<String[]> arguments = info.arguments();
        if (arguments.isEmpty()) {
            return Kind.UNKNOWN;
        }
        String[] args = arguments.get();
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("-D") && real(Path.of(args[i + 1])).equals(directory)) {
                return Kind.THIS_DIRECTORYS_POSTGRES;
            }
        }
        return Kind.SOMETHING_ELSE;
    }

    private static void stop(ProcessHandle postmaster, Path dataDir, PidFile pidFile) {
        LOG.warn("PostgreSQL (pid {}, port {}) was left running on {} by a launcher that died: stopping it",
                postmaster.pid(), pidFile.port(), dataDir);
        try {
            if (!fastShutdown(postmaster)) {
                postmaster.destroy(); // SIGTERM: a smart shutdown; the dead owner's sessions are gone already
            }
            postmaster.onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | IOException | ExecutionException e) {
            // it would not stop cleanly: stop it and its server processes hard; PostgreSQL recovers from its WAL
            postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
            postmaster.destroyForcibly();
            try {
                postmaster.onExit().get(30, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException | InterruptedException stuck) {
                throw new IllegalStateException("PostgreSQL (pid " + postmaster.pid() + ") left running on " + dataDir
                        + " by a launcher that died does not stop: stop it by hand", stuck);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the PostgreSQL left running on " + dataDir, e);
        }
        LOG.warn("stopped the PostgreSQL left running on {}", dataDir);
    }

    /**
     * SIGINT, PostgreSQL's fast shutdown: the dead owner's sessions are rolled back, a checkpoint written, the files
     * released. Java sends only SIGTERM and SIGKILL, so through {@code kill}; {@code pg_ctl stop} would do the same
     * but refuses to run as root, which containers often are.
     */
    private static boolean fastShutdown(ProcessHandle postmaster) throws IOException, InterruptedException {
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
            return false;
        }
        try {
            return new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor() == 0;
        } catch (IOException noKill) {
            return false;
        }
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
