package org.salesledger.query.state;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.Permission;
import org.salesledger.projections.state.ActionChanges;
import org.salesledger.projections.state.CustomerState;
import org.salesledger.projections.state.CustomerStateReadModel;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/customers/{id}/state?asOf=T[&knownAt=K]} and {@code GET /api/v1/customers/{id}/changes} of
 * contract §9: the customer as it stood at T as the system knew it at K, and what each action changed. Both default
 * to now for an instant not given. A customer outside the caller's scope for {@code customers:read} is answered
 * {@code 404}, exactly as an unknown one (contract §7).
 */
@RestController
class CustomerStateController {

    private final CustomerStateReadModel states;
    private final Clock clock;

    CustomerStateController(CustomerStateReadModel states, Clock clock) {
        this.states = states;
        this.clock = clock;
    }

    @GetMapping("/api/v1/customers/{id}/state")
    CustomerState state(Caller caller, @PathVariable String id, @RequestParam(required = false) String asOf,
                        @RequestParam(required = false) String knownAt) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        return states.state(caller.scopeFor(Permission.CUSTOMERS_READ), id,
                        asOf == null ? now : instant("asOf", asOf), knownAt == null ? now : instant("knownAt", knownAt))
                .orElseThrow(() -> unknown(id));
    }

    /** Every action known (or those with {@code time} ≤ asOf stored by knownAt, when given), in the fold's order. */
    @GetMapping("/api/v1/customers/{id}/changes")
    List<ActionChanges> changes(Caller caller, @PathVariable String id, @RequestParam(required = false) String asOf,
                                @RequestParam(required = false) String knownAt) {
        return states.changes(caller.scopeFor(Permission.CUSTOMERS_READ), id,
                        asOf == null ? null : instant("asOf", asOf),
                        knownAt == null ? null : instant("knownAt", knownAt))
                .orElseThrow(() -> unknown(id));
    }

    private static QueryRefused unknown(String id) {
        return new QueryRefused(HttpStatus.NOT_FOUND, "id",
                "no customer '" + id + "' is known (or its registration has not reached the read model yet)");
    }

    private static OffsetDateTime instant(String field, String value) {
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, field, field + " must be an RFC 3339 time with an offset, "
                    + "e.g. 2025-03-01T09:30:00+08:00; got '" + value + "'");
        }
    }
}
