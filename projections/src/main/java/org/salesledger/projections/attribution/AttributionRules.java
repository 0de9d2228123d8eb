package org.salesledger.projections.attribution;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Contract §2's split of one conversion over its touches, for the six rule-based models. Pure: no clock, no I/O.
 *
 * <p>Exactness (ADR 0014): five models give every touch a rational weight, computed here as integers over a common
 * denominator; a channel's share is the sum of its touches' weights divided once by that denominator and kept to
 * {@link #PRECISION} (34 significant digits). {@code time_decay}'s weights 2^(−d/h) are irrational: each is
 * computed with {@link StrictMath#pow} (within one ulp, about 1e-16 relative, the same on every JVM) relative to
 * the most recent touch, then summed and divided in decimals. No float ever holds a sum or a money amount.
 */
final class AttributionRules {

    /** The channel credited when a conversion has no touch in its window. */
    static final String NONE = "(none)";
    /** Significant digits every share and revenue part is kept to. */
    static final MathContext PRECISION = new MathContext(34, RoundingMode.HALF_EVEN);
    static final long MICROS_PER_DAY = 86_400_000_000L;

    private AttributionRules() {
    }

    /**
     * The touches of a conversion: those at or before it and at or after it minus {@code lookbackDays}, in the
     * order of {@code sorted} (time, then stored order).
     */
    static List<Touch> window(List<Touch> sorted, long conversionAt, int lookbackDays) {
        long earliest = conversionAt - lookbackDays * MICROS_PER_DAY;
        List<Touch> window = new ArrayList<>();
        for (Touch t : sorted) {
            if (t.at() > conversionAt) {
                break;
            }
            if (t.at() >= earliest) {
                window.add(t);
            }
        }
        return window;
    }

    /**
     * Each channel's share of one conversion (the shares sum to 1, each kept to 34 significant digits), in the
     * order the channels first appear in the window.
     *
     * @param window           the conversion's touches, ordered by time then stored order
     * @param conversionAt     the conversion's time, for {@code time_decay}
     * @param needsConfirmedAt when the customer reached {@code NEEDS_CONFIRMED}, for {@code w_shaped}; {@code null}
     *                         if it never did
     * @param halfLifeDays     for {@code time_decay}
     */
    static Map<String, BigDecimal> shares(AttributionModel model, List<Touch> window, long conversionAt,
                                          Long needsConfirmedAt, BigDecimal halfLifeDays) {
        Map<String, BigDecimal> shares = new LinkedHashMap<>();
        int n = window.size();
        if (n == 0) {
            shares.put(NONE, BigDecimal.ONE);
            return shares;
        }
        if (model == AttributionModel.TIME_DECAY) {
            return timeDecay(window, halfLifeDays);
        }
        long[] weights = new long[n];
        long denominator;
        switch (model) {
            case FIRST_TOUCH -> {
                weights[0] = 1;
                denominator = 1;
            }
            case LAST_TOUCH -> {
                weights[n - 1] = 1;
                denominator = 1;
            }
            case LINEAR -> {
                java.util.Arrays.fill(weights, 1);
                denominator = n;
            }
            case U_SHAPED -> denominator = uShaped(weights);
            case W_SHAPED -> denominator = wShaped(weights, middle(window, needsConfirmedAt));
            default -> throw new IllegalArgumentException(model.code());
        }
        Map<String, Long> byChannel = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            if (weights[i] != 0) {
                byChannel.merge(window.get(i).channel(), weights[i], Long::sum);
            }
        }
        BigDecimal whole = BigDecimal.valueOf(denominator);
        byChannel.forEach((channel, weight) -> shares.put(channel, BigDecimal.valueOf(weight).divide(whole, PRECISION)));
        return shares;
    }

    /** 40% first, 40% last, 20% evenly between; one touch 100%, two 50% each. Answers the denominator. */
    private static long uShaped(long[] weights) {
        int n = weights.length;
        if (n <= 2) {
            java.util.Arrays.fill(weights, 1);
            return n;
        }
        // first and last 2(n−2)/5(n−2) = 40% each; each of the n−2 between 1/5(n−2), together 20%
        java.util.Arrays.fill(weights, 1);
        weights[0] = 2L * (n - 2);
        weights[n - 1] = 2L * (n - 2);
        return 5L * (n - 2);
    }

    /**
     * 30% each to the first touch, the touch at {@code middle} and the last touch, shares adding where they
     * coincide; 10% evenly over the other touches, or over the three positions when there are none.
     */
    private static long wShaped(long[] weights, int middle) {
        int n = weights.length;
        int[] positions = {0, middle, n - 1};
        int others = 0;
        for (int i = 0; i < n; i++) {
            if (i != 0 && i != middle && i != n - 1) {
                others++;
            }
        }
        if (others == 0) {
            // each position 30% + 10%/3 = 1/3
            for (int p : positions) {
                weights[p] += 1;
            }
            return 3;
        }
        // each position 3·others / 10·others = 30%; each other touch 1 / 10·others, together 10%
        for (int i = 0; i < n; i++) {
            if (i != 0 && i != middle && i != n - 1) {
                weights[i] = 1;
            }
        }
        for (int p : positions) {
            weights[p] += 3L * others;
        }
        return 10L * others;
    }

    /**
     * The index of the last touch at or before the customer reached {@code NEEDS_CONFIRMED}; the first touch when
     * it never did or no touch of the window is that early.
     */
    static int middle(List<Touch> window, Long needsConfirmedAt) {
        int middle = 0;
        if (needsConfirmedAt == null) {
            return middle;
        }
        for (int i = 0; i < window.size(); i++) {
            if (window.get(i).at() <= needsConfirmedAt) {
                middle = i;
            }
        }
        return middle;
    }

    /**
     * Weights 2^(−d/h), d the days from the touch to the conversion, normalised to sum to 1. Computed relative to
     * the most recent touch of the window (2^(−(d−d_min)/h)), which is the same after normalising and never
     * underflows to all zeros; a touch more than about 1074 half-lives older than the most recent one gets a
     * weight below the smallest double and no share.
     */
    private static Map<String, BigDecimal> timeDecay(List<Touch> window, BigDecimal halfLifeDays) {
        double halfLife = halfLifeDays.doubleValue();
        long latest = window.get(window.size() - 1).at();
        Map<String, BigDecimal> byChannel = new LinkedHashMap<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Touch t : window) {
            double days = (double) (latest - t.at()) / MICROS_PER_DAY;
            double weight = StrictMath.pow(2.0, -days / halfLife);
            if (weight == 0.0) {
                continue;
            }
            BigDecimal w = BigDecimal.valueOf(weight);
            byChannel.merge(t.channel(), w, BigDecimal::add);
            total = total.add(w);
        }
        Map<String, BigDecimal> shares = new LinkedHashMap<>();
        BigDecimal sum = total;
        byChannel.forEach((channel, weight) -> shares.put(channel, weight.divide(sum, PRECISION)));
        return shares;
    }
}
