package org.salesledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A load's warm-up lasts until the system is warm, within its bounds, and nothing of it is counted. */
class LoadTest {

    @Test
    void theMeasuredPeriodStartsOnlyOnceTheSystemSaysItIsWarm() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        AtomicLong warmAt = new AtomicLong();
        Load.Warmup warmup = new Load.Warmup(Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofMillis(100),
                () -> {
                    boolean warm = asked.incrementAndGet() == 3;
                    if (warm) {
                        warmAt.set(System.nanoTime());
                    }
                    return warm;
                });
        AtomicLong measuredFrom = new AtomicLong();
        long begun = System.nanoTime();

        Measurement measured = Load.run(2, warmup, Duration.ofMillis(300), client -> () -> {
            Thread.sleep(1);
            return true;
        }, new Load.Window() {
            @Override
            public void started() {
                measuredFrom.set(System.nanoTime());
            }
        });

        assertThat(asked).hasValue(3);
        assertThat(measuredFrom.get()).isGreaterThanOrEqualTo(warmAt.get());
        // the minimum, then two askings that said "not yet", 100 ms apart
        assertThat(measuredFrom.get() - begun).isGreaterThanOrEqualTo(Duration.ofMillis(400).toNanos());
        assertThat(measured.count()).isPositive();
        // two clients, each operation at least 1 ms: the warm-up's operations (≥ 400 ms of them) are not counted
        assertThat(measured.count()).isLessThan(2 * 300);
    }

    @Test
    void aSystemThatNeverSettlesIsMeasuredAfterTheLongestWarmUp() throws Exception {
        AtomicLong measuredFrom = new AtomicLong();
        long begun = System.nanoTime();

        Measurement measured = Load.run(1, new Load.Warmup(Duration.ofMillis(100), Duration.ofMillis(500),
                Duration.ofMillis(50), () -> false), Duration.ofMillis(200), client -> () -> true, new Load.Window() {
                    @Override
                    public void started() {
                        measuredFrom.set(System.nanoTime());
                    }
                });

        assertThat(measuredFrom.get() - begun).isBetween(Duration.ofMillis(500).toNanos(),
                Duration.ofMillis(2_000).toNanos());
        assertThat(measured.count()).isPositive();
    }

    @Test
    void aFixedWarmUpAsksNothing() throws Exception {
        AtomicLong measuredFrom = new AtomicLong();
        AtomicInteger asked = new AtomicInteger();
        Duration fixed = Duration.ofMillis(300);
        long begun = System.nanoTime();

        // as Warmup.fixed is made, with an asking that is counted
        Load.run(1, new Load.Warmup(fixed, fixed, fixed, () -> asked.incrementAndGet() > 0), Duration.ofMillis(100),
                client -> () -> true,
                new Load.Window() {
                    @Override
                    public void started() {
                        measuredFrom.set(System.nanoTime());
                    }
                });

        assertThat(measuredFrom.get() - begun).isBetween(Duration.ofMillis(300).toNanos(),
                Duration.ofMillis(1_500).toNanos());
        assertThat(asked).hasValue(0);
        assertThat(Load.Warmup.fixed(fixed)).extracting(Load.Warmup::minimum, Load.Warmup::maximum)
                .containsExactly(fixed, fixed);
    }
}
