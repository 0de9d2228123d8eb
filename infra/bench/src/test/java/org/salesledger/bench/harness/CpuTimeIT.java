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
