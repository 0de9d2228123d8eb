package org.salesledger.bench.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Closed-loop load: {@code clients} threads, each doing one operation after the other as fast as it is answered,
 * for a warm-up (not counted) and then a measured period, whose completed operations and latencies are recorded.
 */
final class Load {

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
        Latencies own = new Latencies();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        long[] period = new long[2];
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
                    if (start >= period[1]) {
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
                    if (start >= period[0] && end <= period[1]) {
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
        long now = System.nanoTime();
        period[0] = now + warmup.toNanos();
        period[1] = period[0] + measured.toNanos();
        go.countDown();
        sleepUntil(period[0]);
        window.started();
        sleepUntil(period[1]);
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
