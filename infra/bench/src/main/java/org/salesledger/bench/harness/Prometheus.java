package org.salesledger.bench.harness;

import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** Reads samples from Prometheus text exposition ({@code /actuator/prometheus}). */
final class Prometheus {

    private Prometheus() {
    }

    /**
     * The value of the first sample of {@code metric} whose labels contain every one of {@code labels}
     * (e.g. {@code quantile="0.99"}); empty when there is none.
     */
    static OptionalDouble sample(String exposition, String metric, String... labels) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            String rest = line.substring(metric.length());
            if (!rest.startsWith("{") && !rest.startsWith(" ")) {
                continue;
            }
            boolean matches = true;
            for (String label : labels) {
                matches &= rest.contains(label);
            }
            if (matches) {
                String[] parts = line.trim().split("\\s+");
                try {
                    return OptionalDouble.of(Double.parseDouble(parts[parts.length - 1]));
                } catch (NumberFormatException e) {
                    return OptionalDouble.empty();
                }
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * The sum of every labelled sample of {@code metric} (say, the read models' lags), or empty when it has none:
     * before its metrics are up, a system reports nothing, which is not a lag of 0.
     */
    static OptionalDouble sum(String exposition, String metric) {
        double sum = 0;
        boolean any = false;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(metric + "{")) {
                try {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim());
                    any = true;
                } catch (NumberFormatException e) {
                    // not a sample this reader understands: left out
                }
            }
        }
        return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /**
     * Every sample of {@code metric} by the value of its label {@code label} (samples without it left out), e.g. the
     * threads' CPU by work.
     */
    static Map<String, Double> byLabel(String exposition, String metric, String label) {
        Map<String, Double> values = new TreeMap<>();
        String key = label + "=\"";
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(metric + "{")) {
                continue;
            }
            int start = line.indexOf(key);
            int labelsEnd = line.lastIndexOf('}');
            if (start < 0 || labelsEnd < start) {
                continue;
            }
            int end = line.indexOf('"', start + key.length());
            try {
                values.merge(line.substring(start + key.length(), end),
                        Double.parseDouble(line.substring(labelsEnd + 1).trim()), Double::sum);
            } catch (NumberFormatException e) {
                // not a sample this reader understands: left out
            }
        }
        return values;
    }

    /**
     * The cumulative counts of a histogram's buckets ({@code metric_bucket{le="…"}}), by upper bound; {@code +Inf}
     * as {@link Double#POSITIVE_INFINITY}. Empty when the histogram is not exposed.
     */
    static NavigableMap<Double, Double> buckets(String exposition, String histogram) {
        return buckets(exposition, histogram, "");
    }

    /** {@link #buckets(String, String)} of the series whose labels contain {@code label} (e.g. {@code bearer="yes"}). */
    static NavigableMap<Double, Double> buckets(String exposition, String histogram, String label) {
        NavigableMap<Double, Double> buckets = new TreeMap<>();
        String prefix = histogram + "_bucket{";
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(prefix) || !line.contains(label)) {
                continue;
            }
            int le = line.indexOf("le=\"");
            int end = le < 0 ? -1 : line.indexOf('"', le + 4);
            if (end < 0) {
                continue;
            }
            String bound = line.substring(le + 4, end);
            String[] parts = line.trim().split("\\s+");
            try {
                buckets.put(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound),
                        Double.parseDouble(parts[parts.length - 1]));
            } catch (NumberFormatException e) {
                // not a sample this reads
            }
        }
        return buckets;
    }

    /**
     * The upper bound of the bucket that holds the {@code quantile} of what the histogram recorded between two
     * readings of its buckets (so the true value is at most that); empty when nothing was recorded between them.
     */
    static OptionalDouble quantileBetween(Map<Double, Double> before, NavigableMap<Double, Double> after,
                                          double quantile) {
        double total = after.isEmpty() ? 0 : after.lastEntry().getValue()
                - before.getOrDefault(after.lastKey(), 0.0);
        if (total <= 0) {
            return OptionalDouble.empty();
        }
        for (Map.Entry<Double, Double> bucket : after.entrySet()) {
            double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
            if (count >= quantile * total) {
                return OptionalDouble.of(bucket.getKey());
            }
        }
        return OptionalDouble.of(after.lastKey());
    }
}
