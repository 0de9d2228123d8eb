package org.salesledger.kernel.envelope;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads the times the system keeps as text — an action's {@link ActionMetadata#OCCURRED_AT} (RFC 3339 with its
 * original offset) and instants written in UTC — exactly as {@link OffsetDateTime#parse} and {@link Instant#parse}
 * do, without their general formatter for the one form those texts have: {@code yyyy-MM-ddTHH:mm:ss[.f…]} and
 * {@code Z} or {@code ±HH:MM}. Every processor reads every action's time, and java.time's formatter was about a tenth
 * of the whole system's CPU in a profile of an import (docs/benchmarks.md, issue 22's fourth step). Any other text —
 * another form, a field out of range, February 30 — is handed to java.time, which then parses it or throws
 * what it always throws: the answer is the same for every text, only faster for the usual one.
 */
public final class StoredTimes {

    private StoredTimes() {
    }

    /** What {@code OffsetDateTime.parse(text)} answers. */
    public static OffsetDateTime offsetDateTime(CharSequence text) {
        OffsetDateTime fast = fast(text, true);
        return fast != null ? fast : OffsetDateTime.parse(text);
    }

    /** What {@code Instant.parse(text)} answers. */
    public static Instant instant(CharSequence text) {
        OffsetDateTime fast = fast(text, false);
        return fast != null ? fast.toInstant() : Instant.parse(text);
    }

    /**
     * The time of a text of the usual form, or null for java.time to decide. {@code anyCase}: a lower-case
     * {@code t} and {@code z} read as upper-case ones (OffsetDateTime's ISO formatter ignores case; this reads
     * Instant's upper-case only, leaving the rest to java.time).
     */
    private static OffsetDateTime fast(CharSequence text, boolean anyCase) {
        int length = text == null ? 0 : text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(13) != ':'
                || text.charAt(16) != ':' || !is(text.charAt(10), 'T', anyCase)) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int start = ++at;
            while (at < length && at - start < 10 && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                nanos = nanos * 10 + (text.charAt(at) - '0');
                at++;
            }
            int count = at - start;
            if (count == 0 || count > 9) {
                return null;
            }
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
        }
        ZoneOffset offset;
        if (at == length - 1 && is(text.charAt(at), 'Z', anyCase)) {
            offset = ZoneOffset.UTC;
        } else if (anyCase && at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-')
                && text.charAt(at + 3) == ':') {
            int hours = digits(text, at + 1, 2);
            int minutes = digits(text, at + 4, 2);
            if ((hours | minutes) < 0 || hours > 18 || minutes > 59) {
                return null;
            }
            int sign = text.charAt(at) == '-' ? -1 : 1;
            try {
                offset = ZoneOffset.ofTotalSeconds(sign * (hours * 3600 + minutes * 60));
            } catch (DateTimeException outOfRange) {
                return null;
            }
        } else {
            return null;
        }
        try {
            return OffsetDateTime.of(LocalDateTime.of(year, month, day, hour, minute, second, nanos), offset);
        } catch (DateTimeException invalid) {
            return null;
        }
    }

    private static boolean is(char c, char upper, boolean anyCase) {
        return c == upper || (anyCase && c == Character.toLowerCase(upper));
    }

    /** The number written by {@code count} ASCII digits from {@code start}, or -1. */
    private static int digits(CharSequence text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
