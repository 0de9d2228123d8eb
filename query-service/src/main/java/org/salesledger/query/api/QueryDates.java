package org.salesledger.query.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpStatus;

/**
 * The one reading of a date parameter ({@code from}, {@code to}: {@code YYYY-MM-DD}, UTC) for the query API. Years
 * outside 1–9999 are refused here: {@code LocalDate} reads {@code +300000-01-01}, which PostgreSQL's timestamps cannot
 * hold, and the query would fail instead of the parameter.
 */
public final class QueryDates {

    private static final LocalDate FIRST = LocalDate.of(1, 1, 1);
    private static final LocalDate LAST = LocalDate.of(9999, 12, 31);
    private static final Instant FIRST_TIME = FIRST.atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final Instant END_TIME = LAST.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();

    private QueryDates() {
    }

    /** The date {@code value} of parameter {@code name}; {@code null} when blank; {@code 400} naming it when bad. */
    public static LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(value.trim());
            if (date.isBefore(FIRST) || date.isAfter(LAST)) {
                throw new QueryRefused(HttpStatus.BAD_REQUEST, name, name + " must be a date from 0001-01-01 to "
                        + "9999-12-31; got '" + value + "'");
            }
            return date;
        } catch (DateTimeParseException e) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, name,
                    name + " must be a date as YYYY-MM-DD (UTC), e.g. 2025-03-01; got '" + value + "'");
        }
    }

    /**
     * The time {@code value} of parameter {@code name}: a date (midnight UTC, read as {@link #date}) or an RFC 3339
     * time with an offset; {@code null} when blank; {@code 400} naming it when bad or outside the years 1–9999 (UTC).
     */
    public static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (text.indexOf('T') < 0 && text.indexOf('t') < 0) {
            try {
                LocalDate.parse(text);
                return date(name, text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw badTime(name, value);
            }
        }
        Instant time;
        try {
            time = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw badTime(name, value);
        }
        if (time.isBefore(FIRST_TIME) || !time.isBefore(END_TIME)) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, name, name + " must be a time from 0001-01-01 to "
                    + "9999-12-31 (UTC); got '" + value + "'");
        }
        return time;
    }

    private static QueryRefused badTime(String name, String value) {
        return new QueryRefused(HttpStatus.BAD_REQUEST, name, name + " must be a date as YYYY-MM-DD (UTC) or an "
                + "RFC 3339 time with an offset, e.g. 2025-03-01 or 2025-03-01T08:00:00+08:00; got '" + value + "'");
    }
}
