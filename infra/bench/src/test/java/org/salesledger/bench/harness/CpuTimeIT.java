package org.salesledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.salesledger.testing.TestPostgres;

/** The CPU readings the harness puts beside each figure, read from Linux's /proc. */
class CpuTimeIT {

    @BeforeAll
    static void onLinux() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "CPU time is read from /proc (Linux)");
    }

    /**
     * The work is measured by the JVM's own clock of this thread's CPU, not by the wall clock: on a loaded machine
     * 300 ms of wall-clock time may hold far less CPU (issue 23: this test once failed so, with 170 ms).
     */
    @Test
    void aProcessCpuTimeGrowsByTheWorkItDoes() {
        long self = ProcessHandle.current().pid();
        long before = CpuTime.ofProcess(self).orElseThrow();
        burnCpu(300);
        long after = CpuTime.ofProcess(self).orElseThrow();

        // /proc counts in clock ticks (10 ms): at least the 300 ms this thread burned, less a tick or two
        assertThat(after - before).isGreaterThanOrEqualTo(280_000_000L);
    }

    @Test
    void aProcessThatIsNotThereHasNoReading() {
        assertThat(CpuTime.ofProcess(Long.MAX_VALUE)).isEmpty();
        assertThat(CpuTime.ofPostgres(-1)).isEmpty();
    }

    @Test
    void aPostgresServerOnThisMachineCountsTheWorkOfItsBackends() throws Exception {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        Database database = new Database(db.jdbcUrl(), db.user(), db.password());
        long postmaster = CpuTime.postmasterOf(database);
        assumeTrue(postmaster > 0, "the test PostgreSQL runs on another machine");
        long before = CpuTime.ofPostgres(postmaster).orElseThrow();
        OptionalLong after;
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            // about half a second of one backend's CPU, read while the backend is still there
            statement.execute("SET max_parallel_workers_per_gather = 0");
            statement.execute("SELECT count(*) FROM generate_series(1, 5000000) s WHERE md5(s::text) LIKE 'a%'");
            after = CpuTime.ofPostgres(postmaster);
        }

        assertThat(after).isPresent();
        assertThat(after.getAsLong() - before).isGreaterThanOrEqualTo(100_000_000L);
    }

    @Test
    void theJvmsOwnThreadsAreToldApartByTheirNames() {
        assertThat(CpuTime.jvmKindOf("C2 CompilerThre")).isEqualTo(CpuTime.JIT);
        assertThat(CpuTime.jvmKindOf("C1 CompilerThre")).isEqualTo(CpuTime.JIT);
        assertThat(CpuTime.jvmKindOf("GC Thread#1")).isEqualTo(CpuTime.GC);
        assertThat(CpuTime.jvmKindOf("G1 Conc#0")).isEqualTo(CpuTime.GC);
        assertThat(CpuTime.jvmKindOf("G1 Refine#0")).isEqualTo(CpuTime.GC);
        assertThat(CpuTime.jvmKindOf("http-nio-127.0.")).isNull();
        assertThat(CpuTime.jvmKindOf("VM Thread")).isNull();
    }

    /**
     * This JVM's collector works when it is asked to collect a heap it has filled: its threads' CPU grows. The JIT's
     * compiler threads are found (they have compiled this test's code), with what they used so far.
     */
    @Test
    void theCollectorsCpuIsReadFromItsOwnThreads() {
        // the serial collector (which the JVM picks on a machine of one core) works in the VM's own thread
        assumeTrue(java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .anyMatch(collector -> collector.getName().startsWith("G1")), "G1 collects this JVM's heap");
        long self = ProcessHandle.current().pid();
        var before = CpuTime.jvmThreadsOf(self);
        assertThat(before.values()).extracting(CpuTime.ThreadCpu::kind).contains(CpuTime.JIT, CpuTime.GC);
        long collectorBefore = CpuTime.byKindSince(java.util.Map.of(), before).get(CpuTime.GC);

        java.util.List<int[]> kept = new java.util.ArrayList<>();
        long usedUntil = System.nanoTime() + 30_000_000_000L;
        long collector = collectorBefore;
        while (collector - collectorBefore < 20_000_000L && System.nanoTime() < usedUntil) {
            for (int i = 0; i < 20_000; i++) {
                kept.add(new int[64]);
            }
            System.gc();
            kept.clear();
            collector = CpuTime.byKindSince(java.util.Map.of(), CpuTime.jvmThreadsOf(self)).get(CpuTime.GC);
        }

        assertThat(CpuTime.byKindSince(before, CpuTime.jvmThreadsOf(self)).get(CpuTime.GC))
                .isGreaterThanOrEqualTo(20_000_000L);
    }

    /** The JIT's compilers are threads of the process: they never use more than all of its CPU. */
    @Test
    void theJitIsAskedWhetherItHasSettledAgainstTheProcesssCpu() {
        var whollySettled = CpuTime.jitSettled(ProcessHandle.current().pid(), 1.0);
        burnCpu(100);
        assertThat(whollySettled.getAsBoolean()).isTrue();

        var unreadable = CpuTime.jitSettled(Long.MAX_VALUE, 1.0);
        assertThat(unreadable.getAsBoolean()).isFalse();
    }

    @Test
    void aThreadThatEndedIsNotCountedAndNoKindGoesBelowZero() {
        var start = java.util.Map.of(1L, new CpuTime.ThreadCpu(CpuTime.JIT, 500), 2L,
                new CpuTime.ThreadCpu(CpuTime.JIT, 300), 3L, new CpuTime.ThreadCpu(CpuTime.GC, 100));
        var end = java.util.Map.of(1L, new CpuTime.ThreadCpu(CpuTime.JIT, 800), 3L,
                new CpuTime.ThreadCpu(CpuTime.GC, 100), 4L, new CpuTime.ThreadCpu(CpuTime.JIT, 50));

        assertThat(CpuTime.byKindSince(start, end)).containsEntry(CpuTime.JIT, 350L).containsEntry(CpuTime.GC, 0L);
    }

    @Test
    void aMeterWritesTheCpuPerOperationBesideTheFigures() throws Exception {
        CpuUse.Meter meter = CpuUse.Meter.ofHarness(-1);
        meter.started();
        burnCpu(200);
        meter.ended();

        Measurement measured = meter.applyTo(Measurement.rate(100, 1.0), "action");

        assertThat(measured.describe("actions")).matches("100 actions/s; CPU per action: client \\d+\\.\\d{3} ms");
        assertThat(Measurement.rate(100, 1.0).describe("actions")).isEqualTo("100 actions/s");
    }

    /** Spins until this thread has used {@code millis} of CPU, however long that takes on the wall clock. */
    private static void burnCpu(long millis) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
        long x = 0;
        while (threads.getCurrentThreadCpuTime() < end) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        if (x == 42) {
            System.out.println(x);
        }
    }
}
