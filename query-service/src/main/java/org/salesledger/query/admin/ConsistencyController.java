package org.salesledger.query.admin;

import org.salesledger.projections.consistency.ConsistencyChecks;
import org.salesledger.projections.consistency.ConsistencyReport;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Comparing the read models with the event store (docs/adr/0025): {@code POST /api/v1/admin/consistency} starts a
 * check in the background ({@code 202}, or the running one), {@code GET /api/v1/admin/consistency} is its progress
 * resource (events and customers done, of the events stored) and, once {@code DONE}, its report: every difference
 * counted, the first {@code limit} named.
 */
@RestController
@RequestMapping("/api/v1/admin/consistency")
class ConsistencyController {

    private final ConsistencyChecks checks;

    ConsistencyController(ConsistencyChecks checks) {
        this.checks = checks;
    }

    @PostMapping
    ResponseEntity<ConsistencyReport> start(
            @RequestParam(defaultValue = "" + ConsistencyChecks.DEFAULT_LIMIT) int limit) {
        if (limit < 0 || limit > ConsistencyChecks.MAX_LIMIT) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "limit", "limit must be between 0 and "
                    + ConsistencyChecks.MAX_LIMIT + " (differences listed; all are counted), not " + limit);
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(checks.start(limit));
    }

    @GetMapping
    ConsistencyReport latest() {
        return checks.latest().orElseThrow(() -> new QueryRefused(HttpStatus.NOT_FOUND, "consistency",
                "no consistency check has run since this process started; POST /api/v1/admin/consistency starts one"));
    }
}
