package org.salesledger.kernel.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link StoredTimes} answers what java.time answers, for every text: the same time, or the same exception.
 */
class StoredTimesTest {

    @Test
    void theUsualFormsReadAsJavaTimeReadsThem() {
        for (String text : new String[]{"2025-03-01T09:30:00+08:00", "2025-03-01T09:30:00Z",
                "2025-03-01T09:30:00.5-05:30", "2026-12-07T03:28:49.870Z", "2024-02-29T23:59:59.999999999+14:00",
                "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2025-03-01t09:30:00z",
                "2025-03-01T09:30:00-00:00", "2025-03-01T09:30:00.123456+00:00",
                // a decimal point without digits: java.time's own reading, handed to it
                "2025-03-01T09:30:00.Z"}) {
            assertThat(StoredTimes.offsetDateTime(text)).as(text).isEqualTo(OffsetDateTime.parse(text));
        }
        for (String text : new String[]{"2026-12-07T03:28:49.870Z", "2025-03-01T09:30:00Z", "0001-01-01T00:00:00Z",
                "2026-12-07T03:28:49.000000001Z"}) {
            assertThat(StoredTimes.instant(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void whatJavaTimeRefusesIsRefusedWithItsException() {
        for (String text : new String[]{"2025-02-30T09:30:00Z", "2025-13-01T09:30:00Z", "2025-03-01T24:00:00Z",
                "2025-03-01T09:60:00Z", "2025-03-01T09:30:00+19:00",
                "2025-03-01T09:30:00.1234567890Z", "2025-03-01 09:30:00Z", "2025-03-01T09:30:00", "", "x"}) {
            assertThatThrownBy(() -> StoredTimes.offsetDateTime(text)).as(text)
                    .isInstanceOf(DateTimeParseException.class);
        }
    }

    /** Texts near the usual form, each character at a time changed at random: always java.time's answer. */
    @Test
    void anyTextNearTheUsualFormGetsJavaTimesAnswer() {
        Random random = new Random(22);
        String alphabet = "0123456789-:.+TtZz 9";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder(usual(random));
            int changes = random.nextInt(3);
            for (int c = 0; c < changes && text.length() > 0; c++) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> text.deleteCharAt(at);
                    default -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String given = text.toString();
            assertSame(given, OffsetDateTime::parse, StoredTimes::offsetDateTime);
            assertSame(given, Instant::parse, StoredTimes::instant);
        }
    }

    /** A time of the usual form with random fields, a few of them out of range. */
    private static String usual(Random random) {
        String offset = switch (random.nextInt(4)) {
            case 0 -> "Z";
            case 1 -> "z";
            default -> String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-", random.nextInt(20),
                    random.nextInt(62));
        };
        String fraction = random.nextInt(3) == 0 ? "" : "." + "123456789".substring(0, 1 + random.nextInt(9));
        return String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", random.nextInt(10_000), random.nextInt(14),
                random.nextInt(33), random.nextInt(25), random.nextInt(61), random.nextInt(61), fraction, offset);
    }

    private static <T> void assertSame(String text, Function<String, T> javaTime, Function<String, T> ours) {
        Object expected;
        try {
            expected = javaTime.apply(text);
        } catch (RuntimeException e) {
            expected = e.getClass();
        }
        Object actual;
        try {
            actual = ours.apply(text);
        } catch (RuntimeException e) {
            actual = e.getClass();
        }
        assertThat(actual).as(text).isEqualTo(expected);
    }
}
