package org.salesledger.bench.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * Closed-loop load: {@code clients} threads, each doing one operation after the other as fast as it is answered,
 * for a warm-up (not counted) and then a measured period, whose completed operations and latencies are recorded.
 */
final class Load {

    /**
     * How long a load warms up before its measured period: at least {@code minimum}; then, asked every
     * {@code every}, until {@code settled} says the system is warm; at most {@code maximum}.
     */
    record Warmup(Duration minimum, Duration maximum, Duration every, BooleanSupplier settled) {

        /** Exactly {@code duration}. */
        static Warmup fixed(Duration duration) {
            return new Warmup(duration, duration, duration, () -> true);
        }
    }

    /** One operation of one client; {@code false} or an exception counts as a failure. */
    interface Operation {
        boolean run() throws Exception;
    }

    private Load() {
    }

    static Measurement run(int clients, Duration warmup, Duration measured, IntFunction<Operation> perClient)
            throws InterruptedException {
        return run(clients, warmup, measured, perClient, Window.NONE);
    }

    /** What to do when the measured period starts and ends (read the CPU used so far, say). */
    interface Window {
        Window NONE = new Window() {
        };

        default void started() {
        }

        default void ended() {
        }
    }

    static Measurement run(int clients, Duration warmup, Duration measured, IntFunction<Operation> perClient,
                           Window window) throws InterruptedException {
        return run(clients, warmup, measured, perClient, window, new Latencies());
    }

    /**
     * As {@link #run(int, Duration, Duration, IntFunction, Window)}, recording the measured latencies into
     * {@code latencies} too, so that several runs (rounds of an alternating comparison) add up to one histogram.
     */
    static Measurement run(int clients, Duration warmup, Duration measured, IntFunction<Operation> perClient,
                           Window window, Latencies latencies) throws InterruptedException {
        return run(clients, Warmup.fixed(warmup), measured, perClient, window, latencies);
    }

    /** As {@link #run(int, Duration, Duration, IntFunction, Window)}, warming up as {@code warmup} says. */
    static Measurement run(int clients, Warmup warmup, Duration measured, IntFunction<Operation> perClient,
                           Window window) throws InterruptedException {
        return run(clients, warmup, measured, perClient, window, new Latencies());
    }

    private static Measurement run(int clients, Warmup warmup, Duration measured, IntFunction<Operation> perClient,
                                   Window window, Latencies latencies) throws InterruptedException {
        Latencies own = new Latencies();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        // the measured period, from and until (System.nanoTime): unknown until the warm-up has ended
        AtomicLongArray period = new AtomicLongArray(new long[]{Long.MAX_VALUE, Long.MAX_VALUE});
        List<Thread> threads = new ArrayList<>();
        List<Throwable> firstError = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Operation operation = perClient.apply(c);
            Thread thread = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (true) {
                    long start = System.nanoTime();
                    if (start >= period.get(1)) {
                        return;
                    }
                    boolean ok;
                    try {
                        ok = operation.run();
                    } catch (Exception e) {
                        synchronized (firstError) {
                            if (firstError.isEmpty()) {
                                firstError.add(e);
                            }
                        }
                        ok = false;
                    }
                    long end = System.nanoTime();
                    if (start >= period.get(0) && end <= period.get(1)) {
                        if (ok) {
                            own.record(end - start);
                            latencies.record(end - start);
                            done.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                }
            }, "bench-client-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        ready.await();
        long begun = System.nanoTime();
        go.countDown();
        sleepUntil(begun + warmup.minimum().toNanos());
        long latest = begun + Math.max(warmup.minimum().toNanos(), warmup.maximum().toNanos());
        while (System.nanoTime() < latest && !warmup.settled().getAsBoolean()) {
            sleepUntil(Math.min(latest, System.nanoTime() + warmup.every().toNanos()));
        }
        long from = System.nanoTime();
        // the end first: until the start is set, nothing is counted
        period.set(1, from + measured.toNanos());
        period.set(0, from);
        window.started();
        sleepUntil(period.get(1));
        window.ended();
        for (Thread thread : threads) {
            thread.join();
        }
        if (!firstError.isEmpty() && done.get() == 0) {
            throw new IllegalStateException("every operation failed: " + firstError.get(0), firstError.get(0));
        }
        return Measurement.of(done.get(), measured.toNanos() / 1e9, own.histogram(), failed.get());
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
