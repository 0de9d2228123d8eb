package org.salesledger.infra.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

/** What each kind of thread spent, under the work it does. */
class WorkCpuTest {

    @Test
    void threadsAreCountedUnderTheirWork() {
        assertThat(WorkCpu.workOf("WorkPackage[attribution]-0")).isEqualTo("attribution");
        assertThat(WorkCpu.workOf("WorkPackage[kafka-relay]-12")).isEqualTo("kafka-relay");
        assertThat(WorkCpu.workOf("EventProcessor[pool-owners]-0")).isEqualTo("pool-owners");
        assertThat(WorkCpu.workOf("Coordinator[health]-0")).isEqualTo("coordinators");
        assertThat(WorkCpu.workOf("import-worker")).isEqualTo("import");
        assertThat(WorkCpu.workOf("http-nio-127.0.0.1-8081-exec-3")).isEqualTo("http");
        assertThat(WorkCpu.workOf("salesledger-audit-log")).isEqualTo("audit log");
        assertThat(WorkCpu.workOf("EmbeddedEventStore-0")).isEqualTo("event store reader");
        assertThat(WorkCpu.workOf("kafka-producer-network-thread | salesledger-relay-1")).isEqualTo("kafka");
        assertThat(WorkCpu.workOf("main")).isEqualTo("other");
    }

    @Test
    void aLiveWorkersTimeIsCountedAndNeverGoesBack() throws Exception {
        WorkCpu cpu = new WorkCpu();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        java.util.concurrent.CountDownLatch spent = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
        Thread worker = new Thread(() -> {
            spendFiftyMillisecondsOfCpu();
            spent.countDown();
            try {
                read.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "WorkPackage[work-cpu-test]-0");
        try (cpu) {
            worker.start();
            spent.await();
            cpu.bindTo(registry);
            double whileAlive = cpu.secondsOf("work-cpu-test");
            FunctionCounter counter = registry.find(WorkCpu.METRIC).tag("work", "work-cpu-test").functionCounter();
            read.countDown();
            worker.join();
            Thread.sleep(WorkCpu.FRESH_NANOS / 1_000_000 + 50);

            assertThat(whileAlive).isGreaterThanOrEqualTo(0.045);
            assertThat(counter).as("registered under its work").isNotNull();
            assertThat(counter.count()).as("kept after the thread ended").isGreaterThanOrEqualTo(whileAlive);
            assertThat(registry.find(WorkCpu.METRIC).tag("work", "other").functionCounter()).isNotNull();
            // no import ran in this JVM: its work is on the metric all the same, at 0 until one does
            assertThat(registry.find(WorkCpu.METRIC).tag("work", "import").functionCounter()).isNotNull()
                    .satisfies(importing -> assertThat(importing.count()).isZero());
        }
    }

    private static void spendFiftyMillisecondsOfCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long x = 0;
        while (threads.getCurrentThreadCpuTime() - start < 50_000_000L) {
            for (int i = 0; i < 10_000; i++) {
                x += i * 31L ^ x;
            }
        }
        if (x == 42) {
            System.out.println(x);
        }
    }
}
