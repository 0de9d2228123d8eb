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
        Latencies latencies = new Latencies();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
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
                    if (start >= window[1]) {
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
                    if (start >= window[0] && end <= window[1]) {
                        if (ok) {
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
        window[0] = now + warmup.toNanos();
        window[1] = window[0] + measured.toNanos();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        if (!firstError.isEmpty() && done.get() == 0) {
            throw new IllegalStateException("every operation failed: " + firstError.get(0), firstError.get(0));
        }
        return Measurement.of(done.get(), measured.toNanos() / 1e9, latencies.histogram(), failed.get());
    }
}
