package org.salesledger.audit.canonical;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Writes a double the way ECMAScript's {@code Number.prototype.toString} does (ES6, §7.1.12.1), which is how RFC 8785
 * §3.2.2.3 serialises every JSON number: the shortest decimal that reads back as the same double, nearest the exact
 * value when several as short exist (ties to an even last digit), in plain notation for exponents from -6 to 20 and
 * in {@code 1.5e+21} notation otherwise; {@code -0} is {@code 0}.
 *
 * <p>Not {@link Double#toString(double)}: before JDK 19 it does not always give the shortest digits. The digits are
 * found here with exact decimal arithmetic: for each length {@code p = 1, 2, …} the two {@code p}-digit decimals
 * around the double's exact binary value are tried, nearest first, and the first that parses back to the same double
 * wins.
 */
public final class Es6Numbers {

    /** 2^53: every integer of smaller magnitude is a double whose shortest form is the integer itself. */
    private static final double EXACT_INTEGERS = 9007199254740992.0;

    private Es6Numbers() {
    }

    /**
     * The ES6 string of {@code value}.
     *
     * @throws IllegalArgumentException for NaN and the infinities, which JSON cannot carry (RFC 8785 §3.2.2.3)
     */
    public static String format(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a JSON number must be finite, was " + value);
        }
        if (value == 0) {
            return "0"; // both zeros
        }
        if (Math.abs(value) < EXACT_INTEGERS && value == Math.rint(value)) {
            return Long.toString((long) value);
        }
        BigDecimal shortest = shortestDecimal(value).stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // value = digits × 10^(n − k)
        StringBuilder out = new StringBuilder(k + 8);
        if (value < 0) {
            out.append('-');
        }
        if (k <= n && n <= 21) {
            out.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int exponent = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
        }
        return out.toString();
    }

    private static BigDecimal shortestDecimal(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (readsBackAs(nearest, value)) {
                return nearest;
            }
            // Next to a power of two the interval that reads back is lopsided: the other neighbour may still fit.
            BigDecimal down = exact.round(new MathContext(precision, RoundingMode.DOWN));
            BigDecimal other = down.compareTo(nearest) == 0
                    ? exact.round(new MathContext(precision, RoundingMode.UP))
                    : down;
            if (readsBackAs(other, value)) {
                return other;
            }
        }
        // 17 significant digits always identify a double; not reached.
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }

    private static boolean readsBackAs(BigDecimal decimal, double value) {
        return Double.parseDouble(decimal.toString()) == value;
    }
}
