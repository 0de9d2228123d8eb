package org.salesledger.kernel.settings;

import java.time.Duration;

/**
 * The bounds the settings records check when they are bound at start ({@code salesledger.*}), with one wording for
 * all of them: the full property name, the bound, the value given. A refused setting stops the start in one line
 * (ADR 0041). Here, in plain Java, because every module with settings but the platform's depends on the kernel.
 */
public final class SettingChecks {

    private SettingChecks() {
    }

    /** {@code property} must be {@code min} or more: "… must be at least 1, got 0" ("0 or more" for 0). */
    public static void atLeast(String property, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(property + " must be " + (min == 0 ? "0 or more" : "at least " + min)
                    + ", got " + value);
        }
    }

    /** {@code property} must be a duration above zero. */
    public static void positive(String property, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be positive, got " + value);
        }
    }

    /** {@code property} must be a duration of {@code min} or more: "… must be at least 500ms, got PT0.1S". */
    public static void atLeast(String property, Duration value, Duration min) {
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(property + " must be at least " + min.toMillis() + "ms, got " + value);
        }
    }
}
