package org.salesledger.query.timeline;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.salesledger.projections.timeline.TimelineReadModel;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/customers/{id}/timeline[?asOf=…]} of contract §3. */
@RestController
class TimelineController {

    private final TimelineReadModel timelines;

    TimelineController(TimelineReadModel timelines) {
        this.timelines = timelines;
    }

    @GetMapping("/api/v1/customers/{id}/timeline")
    TimelineReadModel.Timeline timeline(@PathVariable String id, @RequestParam(required = false) String asOf) {
        return timelines.timeline(id, asOf == null ? null : parse(asOf))
                .orElseThrow(() -> new QueryRefused(HttpStatus.NOT_FOUND, "id",
                        "no customer '" + id + "' is known (or its registration has not reached the read model yet)"));
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
