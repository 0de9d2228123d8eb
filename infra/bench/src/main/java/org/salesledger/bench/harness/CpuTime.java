package org.salesledger.bench.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * CPU time used so far, from Linux's /proc: by one process (the system under test, or the harness itself as the
 * baselines' client), by the threads a JVM runs for itself (its JIT compilers, its garbage collector), and by a
 * PostgreSQL server on this machine — its postmaster, every live child (backends,
 * writers, WAL) and the children it has already reaped. Differences of two readings over a measured window say what
 * the work cost in CPU, which on a machine of two cores is what bounds a rate. Empty where /proc is not there, or
 * the server runs on another machine.
 */
final class CpuTime {

    /** /proc counts CPU time in clock ticks of 1/100 s (USER_HZ, fixed for /proc on Linux). */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final Path PROC = Path.of("/proc");

    private CpuTime() {
    }

    /** User and system time of the process so far. */
    static OptionalLong ofProcess(long pid) {
        long[] stat = stat(pid);
        return stat == null ? OptionalLong.empty() : OptionalLong.of((stat[UTIME] + stat[STIME]) * NANOS_PER_TICK);
    }

    /** The kind of a JVM thread that is not a Java thread, by its Linux name; null for any other thread. */
    static String jvmKindOf(String name) {
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return GC;
        }
        return null;
    }

    static final String JIT = "JIT";
    static final String GC = "GC";

    /**
     * User and system time so far of each of the process's threads that the JVM runs for itself (its JIT compilers
     * and its garbage collector's threads, {@link #jvmKindOf}), by thread id; empty when /proc is not readable. The
     * JVM's Java threads report their own CPU; these are what the process spends outside them.
     */
    static Map<Long, ThreadCpu> jvmThreadsOf(long pid) {
        Map<Long, ThreadCpu> threads = new HashMap<>();
        Path tasks = PROC.resolve(Long.toString(pid)).resolve("task");
        try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks, "[0-9]*")) {
            for (Path task : all) {
                try {
                    String kind = jvmKindOf(Files.readString(task.resolve("comm")).strip());
                    long[] stat = kind == null ? null : stat(task);
                    if (stat != null) {
                        threads.put(Long.parseLong(task.getFileName().toString()),
                                new ThreadCpu(kind, (stat[UTIME] + stat[STIME]) * NANOS_PER_TICK));
                    }
                } catch (IOException e) {
                    // the thread ended between the listing and the reading: it has nothing more to count
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return threads;
    }

    /** One JVM thread's kind and its CPU time so far. */
    record ThreadCpu(String kind, long nanos) {
    }

    /**
     * The CPU each kind of JVM thread used between two readings, in nanoseconds. A thread that ended in between
     * (the JVM stops compiler threads it no longer needs) is not counted: a lower bound.
     */
    static Map<String, Long> byKindSince(Map<Long, ThreadCpu> start, Map<Long, ThreadCpu> end) {
        Map<String, Long> kinds = new TreeMap<>();
        end.forEach((thread, cpu) -> {
            ThreadCpu before = start.get(thread);
            long used = cpu.nanos() - (before == null ? 0 : before.nanos());
            kinds.merge(cpu.kind(), Math.max(used, 0), Long::sum);
        });
        return kinds;
    }

    /**
     * Whether a JVM's JIT has settled: its compiler threads used at most {@code share} of the process's CPU since the
     * previous asking (the first asking looks back to when this was made). False while either cannot be read.
     */
    static BooleanSupplier jitSettled(long pid, double share) {
        return new BooleanSupplier() {
            private Map<Long, ThreadCpu> threads = jvmThreadsOf(pid);
            private OptionalLong process = ofProcess(pid);

            @Override
            public boolean getAsBoolean() {
                Map<Long, ThreadCpu> threadsNow = jvmThreadsOf(pid);
                OptionalLong processNow = ofProcess(pid);
                boolean settled = false;
                if (process.isPresent() && processNow.isPresent() && !threadsNow.isEmpty()) {
                    long used = processNow.getAsLong() - process.getAsLong();
                    long jit = byKindSince(threads, threadsNow).getOrDefault(JIT, 0L);
                    settled = used > 0 && jit <= share * used;
                }
                threads = threadsNow;
                process = processNow;
                return settled;
            }
        };
    }

    /** The PostgreSQL server's postmaster, found from a backend of one connection to it; -1 when not on this machine. */
    static long postmasterOf(Database database) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            long[] backend = stat(rs.getLong(1));
            return backend == null ? -1 : backend[PPID];
        } catch (SQLException e) {
            return -1;
        }
    }

    /**
     * User and system time of the server so far: the postmaster, the children it has reaped, and its live ones. Read
     * it while the connections doing the measured work are still open: a backend that has exited is counted only
     * once the postmaster has reaped it, which is not always by the next reading.
     */
    static OptionalLong ofPostgres(long postmaster) {
        long[] main = postmaster < 0 ? null : stat(postmaster);
        if (main == null) {
            return OptionalLong.empty();
        }
        long ticks = main[UTIME] + main[STIME] + main[CUTIME] + main[CSTIME];
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                long[] child = stat(Long.parseLong(process.getFileName().toString()));
                if (child != null && child[PPID] == postmaster) {
                    ticks += child[UTIME] + child[STIME];
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(ticks * NANOS_PER_TICK);
    }

    private static final int PPID = 0;
    private static final int UTIME = 1;
    private static final int STIME = 2;
    private static final int CUTIME = 3;
    private static final int CSTIME = 4;

    /** ppid, utime, stime, cutime, cstime of /proc/PID/stat (fields 4, 14–17); null when unreadable. */
    private static long[] stat(long pid) {
        return stat(PROC.resolve(Long.toString(pid)));
    }

    /** The same fields of a process's or a thread's directory in /proc. */
    private static long[] stat(Path directory) {
        try {
            String line = Files.readString(directory.resolve("stat"));
            // the command name (field 2) is in parentheses and may itself hold spaces and parentheses
            String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
            // fields[0] is field 3 (state)
            return new long[]{Long.parseLong(fields[1]), Long.parseLong(fields[11]), Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]), Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
