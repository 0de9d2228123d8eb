package org.salesledger.query.funnel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.Permission;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.projections.funnel.FunnelReadModel;
import org.salesledger.projections.funnel.StallReadModel;
import org.salesledger.projections.funnel.StallThresholds;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Work lists for supervisors: {@code GET /api/v1/stalled} (customers stuck in a stage), {@code GET /api/v1/idle}
 * (customers nobody acted on for N days) and {@code GET /api/v1/customers/{id}/stages} (time per stage). Snoozed
 * customers stay off both lists until their date unless {@code includeSnoozed=true}. Each lists only customers the
 * caller may see (contract §7); the stages of one it may not see are answered {@code 404}, as for an unknown one.
 */
@RestController
class StalledController {

    static final int MAX_LIMIT = 1000;

    private final StallReadModel stalls;
    private final StallThresholds thresholds;
    private final Clock clock;

    StalledController(StallReadModel stalls, StallThresholds thresholds, Clock clock) {
        this.stalls = stalls;
        this.thresholds = thresholds;
        this.clock = clock;
    }

    record WorkList(Instant asOf, List<StallReadModel.StalledCustomer> customers) {
    }

    record Stages(String customerId, Instant asOf, List<StallReadModel.StageStay> stages) {
    }

    @GetMapping("/api/v1/stalled")
    WorkList stalled(@RequestParam(required = false) String stage, @RequestParam(required = false) String olderThan,
                     @RequestParam(defaultValue = "false") boolean businessDays,
                     @RequestParam(defaultValue = "false") boolean includeSnoozed,
                     @RequestParam(defaultValue = "100") int limit,
                     @RequestParam(required = false) String region, @RequestParam(required = false) String team,
                     @RequestParam(required = false) String rep, @RequestParam(required = false) String channel,
                     @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                     Caller caller) {
        Instant now = clock.instant();
        return new WorkList(now, stalls.stalled(caller.scopeFor(Permission.CUSTOMERS_READ),
                filter(region, team, rep, channel, from, to), openStage(stage), duration(olderThan), businessDays,
                includeSnoozed, now, limit(limit)));
    }

    @GetMapping("/api/v1/idle")
    WorkList idle(@RequestParam(defaultValue = "7") int days, @RequestParam(defaultValue = "100") int limit,
                  @RequestParam(defaultValue = "false") boolean includeClosed,
                  @RequestParam(defaultValue = "false") boolean includeSnoozed,
                  @RequestParam(required = false) String region, @RequestParam(required = false) String team,
                  @RequestParam(required = false) String rep, @RequestParam(required = false) String channel,
                  Caller caller) {
        if (days < 0) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "days", "days must be 0 or more; got " + days);
        }
        Instant now = clock.instant();
        return new WorkList(now, stalls.idle(caller.scopeFor(Permission.CUSTOMERS_READ),
                filter(region, team, rep, channel, null, null), days, includeClosed, includeSnoozed, now, limit(limit)));
    }

    @GetMapping("/api/v1/stalled/thresholds")
    java.util.Map<Stage, Duration> thresholds() {
        return thresholds.all();
    }

    @GetMapping("/api/v1/customers/{id}/stages")
    Stages stages(@PathVariable String id, Caller caller) {
        Instant now = clock.instant();
        // a customer outside the scope is not found, in the same words as an unknown one (contract §7)
        return new Stages(id, now, stalls.stages(caller.scopeFor(Permission.CUSTOMERS_READ), id, now)
                .orElseThrow(() -> new QueryRefused(HttpStatus.NOT_FOUND, "id", "no customer '" + id
                        + "' is known (or its registration has not reached the read model yet)")));
    }

    private static FunnelReadModel.Filter filter(String region, String team, String rep, String channel,
                                                 String from, String to) {
        return FilterParams.filter(region, team, rep, channel, from, to);
    }

    private static Stage openStage(String stage) {
        if (stage == null || stage.isBlank()) {
            return null;
        }
        try {
            Stage s = Stage.valueOf(stage.trim().toUpperCase(Locale.ROOT));
            if (StallThresholds.OPEN.contains(s)) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new QueryRefused(HttpStatus.BAD_REQUEST, "stage",
                "stage must be an open stage, one of " + StallThresholds.OPEN + "; got '" + stage + "'");
    }

    private static Duration duration(String olderThan) {
        if (olderThan == null || olderThan.isBlank()) {
            return null;
        }
        try {
            Duration d = Duration.parse(olderThan.trim());
            if (d.isNegative()) {
                throw new DateTimeParseException("negative", olderThan, 0);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "olderThan",
                    "olderThan must be an ISO 8601 duration such as PT72H or P7D; got '" + olderThan + "'");
        }
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "limit",
                    "limit must be between 1 and " + MAX_LIMIT + "; got " + limit);
        }
        return limit;
    }
}
