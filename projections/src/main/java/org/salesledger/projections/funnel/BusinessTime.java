package org.salesledger.projections.funnel;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** Time between two instants counting Monday to Friday only (UTC days). */
final class BusinessTime {

    private BusinessTime() {
    }

    static Duration between(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return Duration.ZERO;
        }
        Duration total = Duration.ZERO;
        ZonedDateTime cursor = from.atZone(ZoneOffset.UTC);
        ZonedDateTime end = to.atZone(ZoneOffset.UTC);
        while (cursor.isBefore(end)) {
            LocalDate day = cursor.toLocalDate();
            ZonedDateTime nextDay = day.plusDays(1).atStartOfDay(ZoneOffset.UTC);
            ZonedDateTime stop = nextDay.isBefore(end) ? nextDay : end;
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                total = total.plus(Duration.between(cursor, stop));
            }
            cursor = stop;
        }
        return total;
    }
}
