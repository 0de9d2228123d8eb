package org.salesledger.bench.harness;

import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/** Latencies of many threads, recorded in microseconds into an HdrHistogram (1 µs to 1 h, 3 digits). */
final class Latencies {

    private final Recorder recorder = new Recorder(3_600_000_000L, 3);
    private final Histogram total = new Histogram(3_600_000_000L, 3);

    void record(long nanos) {
        recorder.recordValue(Math.max(1, Math.min(nanos / 1000, 3_600_000_000L)));
    }

    /** Everything recorded so far, merged. */
    synchronized Histogram histogram() {
        total.add(recorder.getIntervalHistogram());
        return total;
    }

    static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
