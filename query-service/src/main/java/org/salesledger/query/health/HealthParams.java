package org.salesledger.query.health;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.salesledger.kernel.health.HealthMetric;
import org.salesledger.query.api.QueryDates;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;

/** The health endpoints' parameters, read and checked; a bad one is refused by name (400). */
final class HealthParams {

    static final int MAX_MONTHS = 36;
    static final int MAX_LIMIT = 10_000;

    private HealthParams() {
    }

    /** A period of days, UTC, {@code to} exclusive. */
    record Period(LocalDate from, LocalDate to) {
    }

    /** The first day of the current calendar month by the query side's clock (UTC). */
    static LocalDate thisMonth(Clock clock) {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).withDayOfMonth(1);
    }

    /** {@code from}/{@code to} as dates; each absent one is the current calendar month's bound. */
    static Period period(String from, String to, Clock clock) {
        LocalDate month = thisMonth(clock);
        LocalDate start = date("from", from, month);
        LocalDate end = date("to", to, month.plusMonths(1));
        if (!end.isAfter(start)) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "to", "to (exclusive) must be after from (" + start
                    + "); got " + end);
        }
        return new Period(start, end);
    }

    private static LocalDate date(String name, String value, LocalDate fallback) {
        LocalDate date = QueryDates.date(name, value);
        return date == null ? fallback : date;
    }

    static HealthMetric metric(String metric) {
        String codes = String.join(", ", Arrays.stream(HealthMetric.values()).map(HealthMetric::code).toList());
        if (metric == null || metric.isBlank()) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "metric", "metric is required; metrics are " + codes);
        }
        return HealthMetric.byCode(metric.trim()).orElseThrow(() -> new QueryRefused(HttpStatus.BAD_REQUEST, "metric",
                "metric must be one of " + codes + "; got '" + metric + "'"));
    }

    static String currency(String currency, HealthMetric metric) {
        if (currency == null || currency.isBlank()) {
            return null;
        }
        if (!metric.perCurrency()) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "currency", "currency applies to highMarginShare only; "
                    + metric.code() + " is counted over every currency");
        }
        String code = currency.trim();
        if (!code.matches("[A-Z]{3}")) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "currency", "currency must be an ISO 4217 code such as "
                    + "CNY; got '" + currency + "'");
        }
        return code;
    }

    static int whole(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            n = min - 1;
        }
        if (n < min || n > max) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, name, name + " must be a whole number from " + min + " to "
                    + max + "; got '" + value + "'");
        }
        return n;
    }

    /** Who a ranking groups reps by. */
    enum GroupBy {
        REP, TEAM, REGION;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static GroupBy groupBy(String groupBy) {
        if (groupBy == null || groupBy.isBlank()) {
            return GroupBy.REP;
        }
        for (GroupBy g : GroupBy.values()) {
            if (g.code().equals(groupBy.trim())) {
                return g;
            }
        }
        throw new QueryRefused(HttpStatus.BAD_REQUEST, "groupBy", "groupBy must be rep, team or region; got '"
                + groupBy + "'");
    }
}
