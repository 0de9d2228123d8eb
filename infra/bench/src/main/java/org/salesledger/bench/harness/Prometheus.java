package org.salesledger.bench.harness;

import java.util.OptionalDouble;

/** Reads one sample from Prometheus text exposition ({@code /actuator/prometheus}). */
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
}
