package org.salesledger.command.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.salesledger.command.rules.RuleCatalog;
import org.salesledger.command.rules.RuleConditions;
import org.salesledger.command.rules.RuleDryRun;
import org.salesledger.command.rules.RuleError;
import org.salesledger.command.rules.RuleParser;
import org.salesledger.command.rules.RuleVersion;
import org.salesledger.command.rules.RulebookDecision;
import org.salesledger.command.rules.Rulebooks;
import org.salesledger.command.rules.TalkTrackLibrary;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The rules API of contract §6. Who changes a rule is the {@code X-Actor} header (required); why, the optional
 * {@code X-Reason} header. Both are stored with the change. Reads look for changes made on other nodes first (one
 * indexed query), so every node answers with the latest versions.
 */
@RestController
@RequestMapping("/api/v1/rules")
class RulesController {

    static final String ACTOR = "X-Actor";
    static final String REASON = "X-Reason";
    /** Decimals read exactly (an INCENTIVE plan's rates and targets), never as doubles. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** Where an incentive plan is tried out before it is published (the query side, contract §8). */
    static final String HEALTH_DRY_RUN = "POST /api/v1/health/incentive/dry-run";

    private final Rulebooks rulebooks;
    private final RuleCatalog catalog;
    private final RuleConditions cel;
    private final TalkTrackLibrary talkTracks;
    private final RuleDryRun dryRuns;
    private final java.time.Clock clock;

    RulesController(Rulebooks rulebooks, RuleCatalog catalog, RuleConditions cel, TalkTrackLibrary talkTracks,
                    RuleDryRun dryRuns, java.time.Clock clock) {
        this.rulebooks = rulebooks;
        this.catalog = catalog;
        this.cel = cel;
        this.talkTracks = talkTracks;
        this.dryRuns = dryRuns;
        this.clock = clock;
    }

    /**
     * What-if: a draft rule body (as for PUT) evaluated over the whole history, nothing stored → 200 {kind,
     * customersEvaluated, customersMatched, partial, stoppedBecause?, byRegion, byMonth, byRegionAndMonth, byClass};
     * 400 for a bad rule, and for an INCENTIVE plan (it acts on no customer: its dry run is the query side's
     * {@value #HEALTH_DRY_RUN}). {@code maxCustomers} evaluates fewer customers than the configured bound.
     */
    @org.springframework.web.bind.annotation.PostMapping("/dry-run")
    ResponseEntity<Object> dryRun(@RequestBody(required = false) String body,
                                  @RequestParam(required = false) Long maxCustomers) {
        List<RuleError> errors = new ArrayList<>();
        JsonNode rule = null;
        try {
            rule = body == null ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            errors.add(new RuleError("", "is not valid JSON: " + e.getOriginalMessage(), null, null));
        }
        RuleParser.Parsed parsed = null;
        if (errors.isEmpty()) {
            parsed = RuleParser.parse(rule, cel, talkTracks::exists);
            errors.addAll(parsed.errors());
        }
        if (parsed != null && parsed.ok() && parsed.definition().kind() == org.salesledger.command.rules.RuleKind.INCENTIVE) {
            errors.add(new RuleError("kind", "an INCENTIVE plan acts on no customer, so this dry run has nothing to "
                    + "count; try it with " + HEALTH_DRY_RUN + " on the query side, which shows each rep's incentive "
                    + "under the current and the draft plan over a period", null, null));
        }
        if (maxCustomers != null && maxCustomers < 1) {
            errors.add(new RuleError("maxCustomers", "must be at least 1", null, null));
        }
        if (!errors.isEmpty()) {
            return ResponseEntity.badRequest().body(Map.of("errors", errors));
        }
        return ResponseEntity.ok(dryRuns.run(parsed, clock.instant(), maxCustomers));
    }

    /** Create or replace: 200 {ruleId, version, previousVersion, changed}; 400 {errors} with nothing stored. */
    @PutMapping("/{ruleId}")
    ResponseEntity<Map<String, Object>> publish(@PathVariable String ruleId,
                                                @RequestHeader(value = ACTOR, required = false) String header,
                                                @RequestHeader(value = REASON, required = false) String reason,
                                                @RequestBody(required = false) String body,
                                                org.salesledger.infra.identity.Caller caller) {
        String actor = Actors.of(caller, header);
        List<RuleError> errors = new ArrayList<>(checkIdAndActor(ruleId, actor));
        JsonNode rule = null;
        try {
            rule = body == null ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            errors.add(new RuleError("", "is not valid JSON: " + e.getOriginalMessage(), null, null));
        }
        RuleParser.Parsed parsed = null;
        if (rule != null || body == null) {
            parsed = RuleParser.parse(rule, cel, talkTracks::exists);
            errors.addAll(parsed.errors());
        }
        if (!errors.isEmpty()) {
            return ResponseEntity.badRequest().body(Map.of("errors", errors));
        }
        return answer(rulebooks.publish(ruleId, parsed, actor.strip(), blankToNull(reason)));
    }

    /** Retire: 200 {ruleId, version, previousVersion, retired}; 404 for an unknown rule; 409 if already retired. */
    @DeleteMapping("/{ruleId}")
    ResponseEntity<Map<String, Object>> retire(@PathVariable String ruleId,
                                               @RequestHeader(value = ACTOR, required = false) String header,
                                               @RequestHeader(value = REASON, required = false) String reason,
                                               org.salesledger.infra.identity.Caller caller) {
        String actor = Actors.of(caller, header);
        List<RuleError> errors = checkIdAndActor(ruleId, actor);
        if (!errors.isEmpty()) {
            return ResponseEntity.badRequest().body(Map.of("errors", errors));
        }
        return answer(rulebooks.retire(ruleId, actor.strip(), blankToNull(reason)));
    }

    /** The current rules (active ones); with {@code history=true} every version of every rule. */
    @GetMapping
    Map<String, Object> list(@RequestParam(defaultValue = "false") boolean history) {
        catalog.refresh();
        List<RuleVersion> rules = new ArrayList<>();
        for (List<RuleVersion> versions : catalog.history().values()) {
            if (history) {
                rules.addAll(versions);
            } else {
                RuleVersion latest = versions.get(versions.size() - 1);
                if (latest.status() == RuleVersion.Status.ACTIVE) {
                    rules.add(latest);
                }
            }
        }
        return Map.of("rules", rules);
    }

    /** One rule's latest version (also when retired); with {@code history=true} {ruleId, versions}. */
    @GetMapping("/{ruleId}")
    ResponseEntity<Object> one(@PathVariable String ruleId, @RequestParam(defaultValue = "false") boolean history) {
        catalog.refresh();
        return catalog.history(ruleId)
                .<ResponseEntity<Object>>map(versions -> ResponseEntity.ok(history
                        ? Map.of("ruleId", ruleId, "versions", versions)
                        : versions.get(versions.size() - 1)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("message",
                        "no rule '" + ruleId + "' was ever published", "errors",
                        List.of(new RuleError("ruleId", "no rule '" + ruleId + "' was ever published", null, null)))));
    }

    private static List<RuleError> checkIdAndActor(String ruleId, String actor) {
        List<RuleError> errors = new ArrayList<>();
        if (!RuleParser.RULE_ID.matcher(ruleId).matches()) {
            errors.add(new RuleError("ruleId", "must be 1 to 100 letters, digits, '.', '_' or '-', starting with a "
                    + "letter or digit; got '" + ruleId + "'", null, null));
        }
        if (actor == null || actor.isBlank()) {
            errors.add(new RuleError(ACTOR, "the header " + ACTOR + " must name who changes the rule (a user id)",
                    null, null));
        } else if (actor.length() > 255) {
            errors.add(new RuleError(ACTOR, "must be at most 255 characters", null, null));
        }
        return errors;
    }

    private static ResponseEntity<Map<String, Object>> answer(RulebookDecision decision) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ruleId", decision.ruleId());
        switch (decision.status()) {
            case PUBLISHED, UNCHANGED, RETIRED -> {
                body.put("version", decision.version());
                if (decision.previousVersion() != null) {
                    body.put("previousVersion", decision.previousVersion());
                }
                body.put("changed", decision.status() != RulebookDecision.Status.UNCHANGED);
                if (decision.status() == RulebookDecision.Status.RETIRED) {
                    body.put("retired", true);
                }
                return ResponseEntity.ok(body);
            }
            default -> {
                HttpStatus status = switch (decision.status()) {
                    case NOT_FOUND -> HttpStatus.NOT_FOUND;
                    default -> HttpStatus.CONFLICT;
                };
                body.put("message", decision.reason());
                body.put("errors", List.of(new RuleError(decision.field(), decision.reason(), null, null)));
                return ResponseEntity.status(status).body(body);
            }
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
