package org.salesledger.query.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.salesledger.infra.identity.Caller;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.health.IncentivePlan;
import org.salesledger.projections.health.HealthReadModel;
import org.salesledger.projections.health.HealthScore;
import org.salesledger.projections.health.HealthTally;
import org.salesledger.query.health.HealthAnswers.Incentive;
import org.salesledger.query.health.HealthAnswers.Plan;
import org.salesledger.query.health.HealthParams.Period;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/health/incentive/dry-run} {@code {plan: {…INCENTIVE rule body…}, from?, to?}}: before a plan
 * is published, each rep's incentive over the period (default: the current calendar month) under the plan in force
 * and under the draft, per currency, and the difference — "an incentive scheme simulated on past data". The draft is
 * read as the rule would be ({@link IncentivePlan#parse}): a refused field answers {@code 400} with every error by its
 * path ({@code plan.targets.newCustomerShare.points}). Reps: the caller's health scope; nothing is stored.
 */
@RestController
class IncentiveDryRunController {

    private final HealthReadModel health;
    private final HealthScopes scopes;
    private final Clock clock;

    IncentiveDryRunController(HealthReadModel health, HealthScopes scopes, Clock clock) {
        this.health = health;
        this.scopes = scopes;
        this.clock = clock;
    }

    record Difference(String currency, @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal current,
                      @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal draft,
                      @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal difference) {
    }

    record RepIncentive(String repId, List<Incentive> current, List<Incentive> draft, List<Difference> difference) {
    }

    record DryRun(LocalDate from, LocalDate to, Plan current, List<RepIncentive> reps, List<Difference> total) {
    }

    @PostMapping("/api/v1/health/incentive/dry-run")
    ResponseEntity<?> dryRun(Caller caller, @RequestBody(required = false) JsonNode body) {
        if (body == null || !body.isObject()) {
            return refused(List.of(new IncentivePlan.FieldError("", "the body must be {plan: {kind: \"INCENTIVE\", "
                    + "…}, from?, to?}")));
        }
        List<IncentivePlan.FieldError> errors = new ArrayList<>();
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("plan", "from", "to").contains(name)) {
                errors.add(new IncentivePlan.FieldError(name, "is not a field of a dry run; its fields are plan, "
                        + "from, to"));
            }
        }
        JsonNode draftBody = body.get("plan");
        IncentivePlan draft = null;
        if (draftBody == null || draftBody.isNull()) {
            errors.add(new IncentivePlan.FieldError("plan", "is required: the draft INCENTIVE rule body"));
        } else {
            JsonNode kind = draftBody.get("kind");
            if (draftBody.isObject() && kind != null && !"INCENTIVE".equals(kind.asText())) {
                errors.add(new IncentivePlan.FieldError("plan.kind", "must be INCENTIVE; got " + kind));
            }
            IncentivePlan.Parsed parsed = IncentivePlan.parse(draftBody);
            parsed.errors().forEach(e -> errors.add(new IncentivePlan.FieldError(
                    e.field().isEmpty() ? "plan" : "plan." + e.field(), e.message())));
            draft = parsed.plan();
        }
        if (!errors.isEmpty()) {
            return refused(errors);
        }
        Period period = HealthParams.period(text(body.get("from")), text(body.get("to")), clock);
        Scope reps = scopes.reps(caller);
        HealthReadModel.PlanVersion current = health.currentPlan();
        Map<String, HealthTally> before = health.tallies(reps, period.from(), period.to(), current.plan());
        Map<String, HealthTally> after = health.tallies(reps, period.from(), period.to(), draft);
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        List<RepIncentive> answers = new ArrayList<>();
        Map<String, BigDecimal[]> total = new TreeMap<>();
        for (String rep : names) {
            List<HealthScore.Incentive> now = HealthScore.of(before.getOrDefault(rep, HealthTally.NONE),
                    current.plan()).incentive();
            List<HealthScore.Incentive> then = HealthScore.of(after.getOrDefault(rep, HealthTally.NONE), draft)
                    .incentive();
            Map<String, BigDecimal[]> byCurrency = new TreeMap<>();
            now.forEach(i -> pair(byCurrency, i.currency())[0] = i.amount());
            then.forEach(i -> pair(byCurrency, i.currency())[1] = i.amount());
            byCurrency.forEach((c, v) -> {
                BigDecimal[] t = pair(total, c);
                t[0] = t[0].add(v[0]);
                t[1] = t[1].add(v[1]);
            });
            answers.add(new RepIncentive(rep, now.stream().map(Incentive::of).toList(),
                    then.stream().map(Incentive::of).toList(), differences(byCurrency)));
        }
        return ResponseEntity.ok(new DryRun(period.from(), period.to(), Plan.of(current), answers,
                differences(total)));
    }

    private static BigDecimal[] pair(Map<String, BigDecimal[]> map, String currency) {
        return map.computeIfAbsent(currency, c -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
    }

    /** Rounded only here: each side to 2 decimals from its exact amount, the difference from the exact ones. */
    private static List<Difference> differences(Map<String, BigDecimal[]> byCurrency) {
        return byCurrency.entrySet().stream().map(e -> new Difference(e.getKey(), HealthDecimals.money(e.getValue()[0]),
                HealthDecimals.money(e.getValue()[1]), HealthDecimals.money(e.getValue()[1].subtract(e.getValue()[0]))))
                .toList();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static ResponseEntity<ProblemDetail> refused(List<IncentivePlan.FieldError> errors) {
        String message = errors.size() == 1 ? fieldMessage(errors.get(0))
                : "the draft plan has " + errors.size() + " refused fields: " + fieldMessage(errors.get(0)) + "; …";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, message);
        problem.setProperty("message", message);
        problem.setProperty("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message()))
                .toList());
        return ResponseEntity.badRequest().body(problem);
    }

    private static String fieldMessage(IncentivePlan.FieldError e) {
        return (e.field().isEmpty() ? "" : e.field() + " ") + e.message();
    }
}
