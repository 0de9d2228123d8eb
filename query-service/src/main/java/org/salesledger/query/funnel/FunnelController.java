package org.salesledger.query.funnel;

import java.util.List;
import java.util.Locale;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.Permission;
import org.salesledger.kernel.access.Scope;
import org.salesledger.projections.funnel.FunnelReadModel;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/funnel} of contract §3, with {@code groupBy=region|team|rep|channel|month} for a breakdown
 * in one call, counted over the customers the caller may see (contract §7): a rep's own, a supervisor's team's, a
 * director's region's, everyone's for an admin, auditor or analyst.
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
                  @RequestParam(required = false) String groupBy, Caller caller) {
        FunnelReadModel.Filter filter = FilterParams.filter(region, team, rep, channel, from, to);
        Scope scope = caller.scopeFor(Permission.AGGREGATES_READ);
        if (groupBy == null || groupBy.isBlank()) {
            return funnels.funnel(scope, filter);
        }
        FunnelReadModel.Dimension dimension = dimension(groupBy);
        return new Breakdown(dimension.name().toLowerCase(Locale.ROOT), funnels.funnelBy(scope, filter, dimension));
    }

    private static FunnelReadModel.Dimension dimension(String groupBy) {
        try {
            return FunnelReadModel.Dimension.valueOf(groupBy.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "groupBy",
                    "groupBy must be one of region, team, rep, channel, month; got '" + groupBy + "'");
        }
    }
}
