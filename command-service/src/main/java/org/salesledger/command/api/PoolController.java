package org.salesledger.command.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.salesledger.command.customer.PoolDecision;
import org.salesledger.command.pool.PoolClaims;
import org.salesledger.command.rules.RuleError;
import org.salesledger.command.rules.RuleParser;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.salesledger.infra.identity.Organisation;
import org.salesledger.infra.identity.Permission;
import org.salesledger.kernel.access.Scope;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public pool's commands: a rep claims a released customer ({@code POST /api/v1/pool/{customerId}/claim}, the rep
 * in {@code X-Actor}); a supervisor reassigns a customer ({@code POST /api/v1/customers/{id}/reassign}
 * {@code {toRepId, reason?}}, the supervisor in {@code X-Actor}). Both record {@code CustomerReassigned}. A refusal is
 * {@code {message, errors:[{field, message}]}}: 404 unknown customer, 409 not in the pool (or already the owner), 422
 * a rule of the pool (lockout, daily claim limit, cap of customers).
 */
@RestController
class PoolController {

    private final PoolClaims pool;

    private final Organisation organisation;

    PoolController(PoolClaims pool, Organisation organisation) {
        this.pool = pool;
        this.organisation = organisation;
    }

    @PostMapping("/api/v1/pool/{customerId}/claim")
    ResponseEntity<Map<String, Object>> claim(@PathVariable String customerId,
                                              @RequestHeader(value = RulesController.ACTOR, required = false) String header,
                                              org.salesledger.infra.identity.Caller caller) {
        String rep = Actors.of(caller, header);
        List<RuleError> errors = new ArrayList<>();
        checkActor(rep, "the claiming rep", errors);
        if (!errors.isEmpty()) {
            return ResponseEntity.badRequest().body(Map.of("errors", errors));
        }
        return answer(customerId, pool.claim(customerId, rep.strip(), caller.scopeFor(Permission.POOL_READ),
                caller.userId()));
    }

    @PostMapping("/api/v1/customers/{customerId}/reassign")
    ResponseEntity<Map<String, Object>> reassign(@PathVariable String customerId,
                                                 @RequestHeader(value = RulesController.ACTOR, required = false) String header,
                                                 @RequestBody(required = false) JsonNode body,
                                                 org.salesledger.infra.identity.Caller caller) {
        String actor = Actors.of(caller, header);
        List<RuleError> errors = new ArrayList<>();
        checkActor(actor, "the supervisor who reassigns", errors);
        JsonNode to = body == null ? null : body.get("toRepId");
        if (to == null || !to.isTextual() || to.asText().isBlank()) {
            errors.add(new RuleError("toRepId", "is required: the rep who gets the customer", null, null));
        } else if (!RuleParser.RULE_ID.matcher(to.asText()).matches()) {
            errors.add(new RuleError("toRepId", "must be 1 to 100 letters, digits, '.', '_' or '-'", null, null));
        }
        JsonNode reason = body == null ? null : body.get("reason");
        if (reason != null && !reason.isNull() && (!reason.isTextual() || reason.asText().length() > 1000)) {
            errors.add(new RuleError("reason", "must be a string of at most 1,000 characters", null, null));
        }
        if (!errors.isEmpty()) {
            return ResponseEntity.badRequest().body(Map.of("errors", errors));
        }
        String why = reason == null || reason.isNull() || reason.asText().isBlank() ? null : reason.asText().strip();
        Scope scope = caller.scopeFor(Permission.CUSTOMERS_REASSIGN);
        Scope targets = scope instanceof Scope.Region region
                ? organisation.find(to.asText()).filter(u -> region.region().equals(u.region())).isPresent()
                        ? Scope.ALL : Scope.NOTHING
                : scope;
        return answer(customerId, pool.reassign(customerId, to.asText(), why, actor.strip(), scope, targets,
                caller.userId()));
    }

    private static void checkActor(String actor, String who, List<RuleError> errors) {
        if (actor == null || actor.isBlank()) {
            errors.add(new RuleError(RulesController.ACTOR, "the header " + RulesController.ACTOR + " must name "
                    + who, null, null));
        } else if (actor.length() > 255) {
            errors.add(new RuleError(RulesController.ACTOR, "must be at most 255 characters", null, null));
        }
    }

    private static ResponseEntity<Map<String, Object>> answer(String customerId, PoolDecision decision) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerId", customerId);
        if (decision.done()) {
            body.put("ownerRepId", decision.toRepId());
            if (decision.fromRepId() != null) {
                body.put("previousOwnerRepId", decision.fromRepId());
            }
            body.put("via", decision.status() == PoolDecision.Status.CLAIMED ? "POOL_CLAIM" : "SUPERVISOR");
            return ResponseEntity.ok(body);
        }
        HttpStatus status = switch (decision.status()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_IN_POOL, UNCHANGED -> HttpStatus.CONFLICT;
            default -> HttpStatus.UNPROCESSABLE_ENTITY;
        };
        body.put("refusal", decision.status().name());
        body.put("message", decision.reason());
        body.put("errors", List.of(new RuleError(decision.field(), decision.reason(), null, null)));
        return ResponseEntity.status(status).body(body);
    }
}
