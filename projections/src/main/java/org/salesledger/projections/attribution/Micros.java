package org.salesledger.projections.attribution;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Times as microseconds since the epoch: PostgreSQL keeps {@code timestamptz} to the microsecond, so the journey
 * computed from an event in memory and the one read back from the tables later are the same to the last digit.
 */
final class Micros {

    private Micros() {
    }

    static long of(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    static long of(OffsetDateTime time) {
        return of(time.toInstant());
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    static OffsetDateTime utc(long micros) {
        return instant(micros).atOffset(ZoneOffset.UTC);
    }
}
