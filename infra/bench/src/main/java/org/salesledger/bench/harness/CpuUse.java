package org.salesledger.bench.harness;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What a measured window cost in CPU per operation: a process ({@code who}: the system's JVM, or the harness as the
 * baselines' client) and the PostgreSQL server, each when it could be read (see {@link CpuTime}).
 */
record CpuUse(String who, OptionalLong processNanos, OptionalLong postgresNanos) {

    /** A reading at the start of a window; {@link #since} at its end gives the window's use. */
    static CpuUse now(String who, OptionalLong pid, long postmaster) {
        return new CpuUse(who, pid.isPresent() ? CpuTime.ofProcess(pid.getAsLong()) : OptionalLong.empty(),
                CpuTime.ofPostgres(postmaster));
    }

    CpuUse since(CpuUse start) {
        return new CpuUse(who, minus(processNanos, start.processNanos), minus(postgresNanos, start.postgresNanos));
    }

    /** "CPU per action: system 9.10 ms, PostgreSQL 2.31 ms", or empty when neither could be read. */
    String perOperation(long operations, String unit) {
        if (operations <= 0 || (processNanos.isEmpty() && postgresNanos.isEmpty())) {
            return "";
        }
        StringBuilder text = new StringBuilder("CPU per ").append(unit).append(":");
        if (processNanos.isPresent()) {
            text.append(' ').append(who).append(' ').append(ms(processNanos.getAsLong(), operations));
        }
        if (postgresNanos.isPresent()) {
            text.append(processNanos.isPresent() ? ", " : " ").append("PostgreSQL ")
                    .append(ms(postgresNanos.getAsLong(), operations));
        }
        return text.toString();
    }

    private static String ms(long nanos, long operations) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6 / operations);
    }

    private static OptionalLong minus(OptionalLong end, OptionalLong start) {
        return end.isPresent() && start.isPresent() ? OptionalLong.of(end.getAsLong() - start.getAsLong())
                : OptionalLong.empty();
    }

    /** Reads the CPU used at the start and at the end of a window ({@link Load.Window}, or by hand). */
    static final class Meter implements Load.Window {

        private final String who;
        private final OptionalLong pid;
        private final long postmaster;
        private CpuUse start;
        private CpuUse used;
        private Map<Long, CpuTime.ThreadCpu> jvmStart = Map.of();
        private Map<String, Long> jvmUsed = Map.of();

        Meter(String who, OptionalLong pid, long postmaster) {
            this.who = who;
            this.pid = pid;
            this.postmaster = postmaster;
        }

        /** The harness's own process, as the client of a baseline. */
        static Meter ofHarness(long postmaster) {
            return new Meter("client", OptionalLong.of(ProcessHandle.current().pid()), postmaster);
        }

        @Override
        public void started() {
            start = now(who, pid, postmaster);
            jvmStart = pid.isPresent() ? CpuTime.jvmThreadsOf(pid.getAsLong()) : Map.of();
        }

        @Override
        public void ended() {
            used = now(who, pid, postmaster).since(start);
            jvmUsed = pid.isPresent() ? CpuTime.byKindSince(jvmStart, CpuTime.jvmThreadsOf(pid.getAsLong()))
                    : Map.of();
        }

        /**
         * The CPU of the JVM's own threads over the window ({@link CpuTime#JIT}, {@link CpuTime#GC}) in
         * milliseconds per operation; empty when they could not be read.
         */
        Map<String, Double> jvmMillisPer(long operations) {
            Map<String, Double> kinds = new TreeMap<>();
            if (operations > 0) {
                jvmUsed.forEach((kind, nanos) -> kinds.put(kind, nanos / 1e6 / operations));
            }
            return kinds;
        }

        /** The process's CPU over the window in milliseconds per operation, when it could be read. */
        OptionalDouble processMillisPer(long operations) {
            return used == null || used.processNanos().isEmpty() || operations <= 0 ? OptionalDouble.empty()
                    : OptionalDouble.of(used.processNanos().getAsLong() / 1e6 / operations);
        }

        /** The figures with what the window cost per {@code unit}. */
        Measurement applyTo(Measurement measured, String unit) {
            return used == null ? measured : measured.withCpu(used, unit);
        }
    }
}
