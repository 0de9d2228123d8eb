package org.salesledger.projections.attribution.datadriven;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Times the data-driven models; not a test (no timing is ever asserted), run by hand, figures go to
 * docs/benchmarks.md. Needs nothing but the compiled classes:
 *
 * <pre>
 * ./mvnw -B -q -pl projections test-compile
 * cd projections
 * java -Xmx2g -cp target/classes:target/test-classes \
 *     org.salesledger.projections.attribution.datadriven.DataDrivenAttributionBenchmark
 * </pre>
 *
 * (from the module directory, like the tests, so that the PathData file is found; that part is skipped without it). Each figure is the
 * median of timed runs after warm-up runs in the same JVM.
 */
public final class DataDrivenAttributionBenchmark {

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private DataDrivenAttributionBenchmark() {
    }

    public static void main(String[] args) {
        System.out.printf("java %s, %d cores, max heap %d MB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        if (PathData.available()) {
            System.out.println("ChannelAttribution PathData: 10,000 paths, 12 channels");
            models(PathData.journeys(), 5, 15);
        } else {
            System.out.println("PathData not found at " + PathData.FILE.toAbsolutePath()
                    + " (run from the projections directory); skipped");
        }

        SplittableRandom random = new SplittableRandom(1L);
        List<List<String>> distinct = distinctPaths(random, 30, 3_000);
        List<Journey> million = millionJourneys(random, distinct, 1_000_000);
        System.out.printf("Synthetic: %,d journeys (one per customer), %d channels, %,d distinct paths, EUR/USD%n",
                million.size(), 30, distinct.size());
        models(million, 2, 5);

        List<Journey> summed = summedPerPath(million);
        System.out.printf("The same, summed per path beforehand (as a GROUP BY would): %,d journeys%n", summed.size());
        models(summed, 5, 15);
    }

    private static List<Journey> summedPerPath(List<Journey> journeys) {
        Map<List<String>, Journey> byPath = new java.util.LinkedHashMap<>();
        for (Journey journey : journeys) {
            byPath.merge(journey.channels(), journey, (a, b) -> {
                Map<String, Journey.Revenue> revenue = new java.util.TreeMap<>(a.revenueByCurrency());
                b.revenueByCurrency().forEach((currency, r) -> revenue.merge(currency, r,
                        (x, y) -> new Journey.Revenue(x.conversions() + y.conversions(), x.amount().add(y.amount()))));
                return new Journey(a.channels(), a.conversions() + b.conversions(),
                        a.nonConversions() + b.nonConversions(), revenue);
            });
        }
        return new ArrayList<>(byPath.values());
    }

    private static void models(List<Journey> journeys, int warmups, int runs) {
        for (int order = 1; order <= 3; order++) {
            int k = order;
            MarkovResult result = MarkovAttribution.attribute(journeys, k);
            time("markov order " + k + " (" + result.states() + " states)",
                    () -> MarkovAttribution.attribute(journeys, k), warmups, runs);
        }
        time("shapley", () -> ShapleyAttribution.attribute(journeys), warmups, runs);
        time("shapley_simplified", () -> ShapleyAttribution.simplified(journeys), warmups, runs);
        time("summing journeys per path only", () -> JourneyTable.of(journeys), warmups, runs);
    }

    private static void time(String what, Supplier<?> run, int warmups, int runs) {
        for (int i = 0; i < warmups; i++) {
            run.get();
        }
        long[] nanos = new long[runs];
        long[] cpu = new long[runs];
        for (int i = 0; i < runs; i++) {
            long startedCpu = THREADS.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            run.get();
            nanos[i] = System.nanoTime() - started;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - startedCpu;
        }
        Arrays.sort(nanos);
        Arrays.sort(cpu);
        System.out.printf("  %-40s wall median %8.1f ms (min %8.1f)   cpu median %8.1f ms (min %8.1f)%n", what,
                nanos[runs / 2] / 1e6, nanos[0] / 1e6, cpu[runs / 2] / 1e6, cpu[0] / 1e6);
    }

    /** Paths of 1 to 8 touches over {@code channels} channels, a few channels far more common than the rest. */
    private static List<List<String>> distinctPaths(SplittableRandom random, int channels, int count) {
        java.util.Set<List<String>> paths = new java.util.LinkedHashSet<>();
        while (paths.size() < count) {
            int length = 1 + random.nextInt(8);
            List<String> path = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                double u = random.nextDouble();
                path.add("channel_" + (int) (channels * u * u));
            }
            paths.add(List.copyOf(path));
        }
        return new ArrayList<>(paths);
    }

    /** One journey per customer: a path (popular ones more often), converted or not, one amount when converted. */
    private static List<Journey> millionJourneys(SplittableRandom random, List<List<String>> paths, int count) {
        List<Journey> journeys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double u = random.nextDouble();
            List<String> path = paths.get((int) (paths.size() * u * u * u));
            boolean converted = random.nextInt(100) < 5 + path.size() * 2;
            Map<String, Journey.Revenue> revenue = !converted ? Map.of()
                    : Map.of(random.nextInt(4) == 0 ? "USD" : "EUR",
                            new Journey.Revenue(1, BigDecimal.valueOf(10_000 + random.nextInt(500_000), 2)));
            journeys.add(new Journey(path, converted ? 1 : 0, converted ? 0 : 1, revenue));
        }
        return journeys;
    }
}
