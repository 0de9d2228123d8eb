package org.salesledger.query.api;

import java.time.LocalDate;
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
}
