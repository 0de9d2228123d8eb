package org.salesledger.query.timeline;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.Permission;
import org.salesledger.projections.timeline.TimelineReadModel;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/customers/{id}/timeline[?asOf=…]} of contract §3, and its pages: {@code limit} actions at a
 * time, {@code after} the cursor that the previous page answered as {@code next}. A customer outside the caller's
 * scope for {@code customers:read} is answered {@code 404}, exactly as an unknown one (contract §7).
 */
@RestController
class TimelineController {

    private final TimelineReadModel timelines;

    TimelineController(TimelineReadModel timelines) {
        this.timelines = timelines;
    }

    static final int MAX_LIMIT = 10_000;

    @GetMapping("/api/v1/customers/{id}/timeline")
    TimelineReadModel.Timeline timeline(Caller caller, @PathVariable String id,
                                        @RequestParam(required = false) String asOf,
                                        @RequestParam(required = false) String after,
                                        @RequestParam(required = false) String limit) {
        TimelineReadModel.Page page = new TimelineReadModel.Page(
                after == null ? null : number("after", after, 0, Long.MAX_VALUE,
                        "after must be the 'next' cursor of the previous page"),
                limit == null ? null : (int) number("limit", limit, 1, MAX_LIMIT,
                        "limit must be between 1 and " + MAX_LIMIT + " actions"));
        return timelines.timeline(caller.scopeFor(Permission.CUSTOMERS_READ), id, asOf == null ? null : parse(asOf), page)
                .orElseThrow(() -> new QueryRefused(HttpStatus.NOT_FOUND, "id",
                        "no customer '" + id + "' is known (or its registration has not reached the read model yet)"));
    }

    private static long number(String field, String value, long min, long max, String rule) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new QueryRefused(HttpStatus.BAD_REQUEST, field, rule + "; got '" + value + "'");
    }

    private static OffsetDateTime parse(String asOf) {
        try {
            return OffsetDateTime.parse(asOf);
        } catch (DateTimeParseException e) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "asOf",
                    "asOf must be an RFC 3339 time with an offset, e.g. 2025-03-01T09:30:00+08:00; got '" + asOf + "'");
        }
    }
}
