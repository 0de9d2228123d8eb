package org.salesledger.bench.harness;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * One measured figure: a rate (per second) over {@code count} operations in {@code seconds}, latency percentiles
 * in milliseconds when latencies were recorded, the number of failed operations, and what the operations cost in CPU
 * ({@link CpuUse#perOperation}; empty when not measured).
 */
record Measurement(long count, double seconds, double p50, double p99, long failures, String cpu) {

    Measurement(long count, double seconds, double p50, double p99, long failures) {
        this(count, seconds, p50, p99, failures, "");
    }

    static Measurement of(long count, double seconds, Histogram latencies, long failures) {
        return new Measurement(count, seconds, Latencies.millis(latencies, 50), Latencies.millis(latencies, 99),
                failures);
    }

    static Measurement rate(long count, double seconds) {
        return new Measurement(count, seconds, Double.NaN, Double.NaN, 0);
    }

    /** The same figures with a note after the CPU ("…; 19.0 PostgreSQL transactions per 100 events"). */
    Measurement withNote(String note) {
        return new Measurement(count, seconds, p50, p99, failures, cpu.isEmpty() ? note : cpu + "; " + note);
    }

    /** The same figures with the CPU the window cost, per {@code unit} (one of {@link #count}). */
    Measurement withCpu(CpuUse used, String unit) {
        return new Measurement(count, seconds, p50, p99, failures, used.perOperation(count, unit));
    }

    double perSecond() {
        return seconds <= 0 ? Double.NaN : count / seconds;
    }

    boolean hasLatencies() {
        return !Double.isNaN(p99);
    }

    /** "2,140/s, p50 0.41 ms, p99 1.9 ms". */
    String describe(String unit) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%,.0f %s/s", perSecond(), unit));
        if (hasLatencies()) {
            text.append(String.format(Locale.ROOT, ", p50 %s ms, p99 %s ms", ms(p50), ms(p99)));
        }
        if (failures > 0) {
            text.append(String.format(Locale.ROOT, " (%,d failed)", failures));
        }
        if (!cpu.isEmpty()) {
            text.append("; ").append(cpu);
        }
        return text.toString();
    }

    static String ms(double millis) {
        if (Double.isNaN(millis)) {
            return "—";
        }
        return millis < 10 ? String.format(Locale.ROOT, "%.2f", millis) : String.format(Locale.ROOT, "%.0f", millis);
    }
}
