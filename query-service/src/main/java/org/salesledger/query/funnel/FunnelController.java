package org.salesledger.query.funnel;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.salesledger.projections.funnel.FunnelReadModel;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/funnel} of contract §3, with {@code groupBy=region|team|rep|channel|month} for a breakdown
 * in one call.
 */
@RestController
class FunnelController {

    private final FunnelReadModel funnels;

    FunnelController(FunnelReadModel funnels) {
        this.funnels = funnels;
    }

    /** A breakdown: one funnel per value of {@code groupBy}. */
    record Breakdown(String groupBy, List<FunnelReadModel.Group> groups) {
    }

    @GetMapping("/api/v1/funnel")
    Object funnel(@RequestParam(required = false) String region, @RequestParam(required = false) String team,
                  @RequestParam(required = false) String rep, @RequestParam(required = false) String channel,
                  @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                  @RequestParam(required = false) String groupBy) {
        LocalDate fromDate = date("from", from);
        LocalDate toDate = date("to", to);
        if (fromDate != null && toDate != null && !fromDate.isBefore(toDate)) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "to",
                    "to must be after from (to is exclusive); got from=" + from + ", to=" + to);
        }
        FunnelReadModel.Filter filter = new FunnelReadModel.Filter(blankToNull(region), blankToNull(team),
                blankToNull(rep), blankToNull(channel), fromDate, toDate);
        if (groupBy == null || groupBy.isBlank()) {
            return funnels.funnel(filter);
        }
        FunnelReadModel.Dimension dimension = dimension(groupBy);
        return new Breakdown(dimension.name().toLowerCase(Locale.ROOT), funnels.funnelBy(filter, dimension));
    }

    private static FunnelReadModel.Dimension dimension(String groupBy) {
        try {
            return FunnelReadModel.Dimension.valueOf(groupBy.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "groupBy",
                    "groupBy must be one of region, team, rep, channel, month; got '" + groupBy + "'");
        }
    }

    private static LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, name,
                    name + " must be a date as YYYY-MM-DD (UTC), e.g. 2025-03-01; got '" + value + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
