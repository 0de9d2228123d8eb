package org.salesledger.projections.attribution;

import java.math.BigDecimal;
import java.util.Comparator;

/**
 * How far back a conversion's touches reach ({@code lookbackDays}, whole days) and the half-life of
 * {@code time_decay} ({@code halfLifeDays}, days, may be fractional).
 */
public record Window(int lookbackDays, BigDecimal halfLifeDays) implements Comparable<Window> {

    public static final int DEFAULT_LOOKBACK_DAYS = 90;
    public static final BigDecimal DEFAULT_HALF_LIFE_DAYS = BigDecimal.valueOf(7);
    public static final int MAX_LOOKBACK_DAYS = 36_500;
    public static final BigDecimal MAX_HALF_LIFE_DAYS = BigDecimal.valueOf(36_500);
    public static final Window DEFAULT = new Window(DEFAULT_LOOKBACK_DAYS, DEFAULT_HALF_LIFE_DAYS);

    private static final Comparator<Window> ORDER = Comparator.comparingInt(Window::lookbackDays)
            .thenComparing(Window::halfLifeDays);

    public Window {
        if (lookbackDays < 0 || lookbackDays > MAX_LOOKBACK_DAYS) {
            throw new IllegalArgumentException("lookbackDays must be a whole number of days from 0 to "
                    + MAX_LOOKBACK_DAYS + "; got " + lookbackDays);
        }
        if (halfLifeDays == null || halfLifeDays.signum() <= 0 || halfLifeDays.compareTo(MAX_HALF_LIFE_DAYS) > 0) {
            throw new IllegalArgumentException("halfLifeDays must be a number of days above 0 and at most "
                    + MAX_HALF_LIFE_DAYS + "; got " + (halfLifeDays == null ? null : halfLifeDays.toPlainString()));
        }
        halfLifeDays = normalised(halfLifeDays);
    }

    /** {@code 90/7}: lookback days, slash, half-life days. */
    public static Window parse(String text) {
        String[] parts = text.trim().split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("a window is written lookbackDays/halfLifeDays, e.g. 90/7; got '"
                    + text + "'");
        }
        try {
            return new Window(Integer.parseInt(parts[0].trim()), new BigDecimal(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a window is written lookbackDays/halfLifeDays, e.g. 90/7; got '"
                    + text + "'");
        }
    }

    /** The same number written without trailing zeros ({@code 7.0} → {@code 7}), so equal values are equal. */
    static BigDecimal normalised(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    @Override
    public int compareTo(Window other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return lookbackDays + "/" + halfLifeDays.toPlainString();
    }
}
