package org.salesledger.query.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.salesledger.infra.identity.AccessRefused;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.Organisation;
import org.salesledger.infra.identity.User;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.health.HealthMetric;
import org.salesledger.projections.health.HealthReadModel;
import org.salesledger.projections.health.HealthScore;
import org.salesledger.projections.health.HealthTally;
import org.salesledger.query.health.HealthAnswers.Evidence;
import org.salesledger.query.health.HealthAnswers.Incentive;
import org.salesledger.query.health.HealthAnswers.Plan;
import org.salesledger.query.health.HealthParams.GroupBy;
import org.salesledger.query.health.HealthParams.Period;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rep health and incentive (contract §8, docs/health.md): {@code GET /api/v1/reps/{id}/health} (every metric with the
 * numbers behind it and up to 100 evidence ids, and the incentive per currency), {@code …/health/evidence} (all of a
 * metric's evidence, paged), {@code …/health/history} (one point per month per metric) and {@code GET
 * /api/v1/health?groupBy=rep|team|region} (ranked). Each answer is computed from the read model's facts with the
 * plan in force when it is asked, and names it. A rep outside the caller's health scope ({@link HealthScopes}) is
 * answered {@code 404}, as one that does not exist.
 */
@RestController
class HealthController {

    static final int EVIDENCE_SHOWN = 100;
    static final String NO_GROUP = "(none)";

    private final HealthReadModel health;
    private final HealthScopes scopes;
    private final Organisation organisation;
    private final Clock clock;

    HealthController(HealthReadModel health, HealthScopes scopes, Organisation organisation, Clock clock) {
        this.health = health;
        this.scopes = scopes;
        this.organisation = organisation;
        this.clock = clock;
    }

    record RepHealth(String repId, LocalDate from, LocalDate to, Plan plan, Map<String, Object> metrics,
                     List<Incentive> incentive,
                     @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal score) {
    }

    @GetMapping("/api/v1/reps/{id}/health")
    RepHealth rep(Caller caller, @PathVariable String id, @RequestParam(required = false) String from,
                  @RequestParam(required = false) String to) {
        Scope reps = repInScope(caller, id);
        Period period = HealthParams.period(from, to, clock);
        HealthReadModel.PlanVersion plan = health.currentPlan();
        HealthReadModel.RepPeriod facts = health.repPeriod(reps, id, period.from(), period.to(), plan.plan(),
                EVIDENCE_SHOWN);
        HealthScore score = HealthScore.of(facts.tally(), plan.plan());
        Map<String, Long> counts = evidenceCounts(score);
        return new RepHealth(id, period.from(), period.to(), Plan.of(plan), HealthAnswers.metrics(score, plan.plan(),
                (metric, currency) -> {
                    long count = counts.getOrDefault(key(metric, currency), 0L);
                    List<String> ids = count == 0 ? List.of() : currency == null
                            ? facts.evidence().getOrDefault(metric, List.of())
                            : facts.highMarginEvidence().getOrDefault(currency, List.of());
                    return new Evidence(count, ids);
                }), HealthAnswers.incentive(score), HealthDecimals.round(score.score()));
    }

    private static String key(HealthMetric metric, String currency) {
        return currency == null ? metric.code() : metric.code() + "/" + currency;
    }

    private static Map<String, Long> evidenceCounts(HealthScore score) {
        Map<String, Long> counts = new HashMap<>();
        score.metrics().forEach((metric, m) -> counts.put(key(metric, null), m.evidenceCount()));
        long all = 0;
        for (HealthScore.CurrencyMetric c : score.highMargin()) {
            counts.put(key(HealthMetric.HIGH_MARGIN_SHARE, c.currency()), c.evidenceCount());
            all += c.evidenceCount();
        }
        counts.put(key(HealthMetric.HIGH_MARGIN_SHARE, null), all);
        return counts;
    }

    /** The caller's health scope, when it covers {@code repId}; otherwise {@code 404}. */
    private Scope repInScope(Caller caller, String repId) {
        Scope reps = scopes.reps(caller);
        if (!HealthScopes.covers(reps, repId)) {
            throw AccessRefused.notFound("id", "no rep '" + repId + "' is known");
        }
        return reps;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EvidencePage(String repId, String metric, String currency, LocalDate from, LocalDate to, Plan plan,
                        long count, List<String> actionIds, String next) {
    }

    @GetMapping("/api/v1/reps/{id}/health/evidence")
    EvidencePage evidence(Caller caller, @PathVariable String id, @RequestParam(required = false) String metric,
                          @RequestParam(required = false) String currency,
                          @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                          @RequestParam(required = false) String limit, @RequestParam(required = false) String after) {
        Scope reps = repInScope(caller, id);
        HealthMetric m = HealthParams.metric(metric);
        String cur = HealthParams.currency(currency, m);
        Period period = HealthParams.period(from, to, clock);
        int max = HealthParams.whole("limit", limit, 1000, 1, HealthParams.MAX_LIMIT);
        int offset = HealthParams.whole("after", after, 0, 0, Integer.MAX_VALUE);
        HealthReadModel.PlanVersion plan = health.currentPlan();
        HealthScore score = HealthScore.of(health.repPeriod(reps, id, period.from(), period.to(), plan.plan(), 0)
                .tally(), plan.plan());
        long count = evidenceCounts(score).getOrDefault(key(m, cur), 0L);
        List<String> ids = health.evidence(reps, id, m, cur, period.from(), period.to(), plan.plan(), offset, max);
        String next = offset + ids.size() < count && ids.size() == max ? String.valueOf(offset + ids.size()) : null;
        return new EvidencePage(id, m.code(), cur, period.from(), period.to(), Plan.of(plan), count, ids, next);
    }

    record Month(YearMonth month, Map<String, Object> metrics, List<Incentive> incentive,
                 @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal score) {
    }

    record History(String repId, LocalDate from, LocalDate to, Plan plan, List<Month> months) {
    }

    @GetMapping("/api/v1/reps/{id}/health/history")
    History history(Caller caller, @PathVariable String id, @RequestParam(required = false) String months) {
        Scope reps = repInScope(caller, id);
        int n = HealthParams.whole("months", months, 12, 1, HealthParams.MAX_MONTHS);
        LocalDate last = HealthParams.thisMonth(clock);
        LocalDate from = last.minusMonths(n - 1L);
        LocalDate to = last.plusMonths(1);
        HealthReadModel.PlanVersion plan = health.currentPlan();
        Map<LocalDate, HealthTally> tallies = health.monthlyTallies(reps, id, from, to, plan.plan());
        List<Month> points = new ArrayList<>();
        for (LocalDate month = from; month.isBefore(to); month = month.plusMonths(1)) {
            HealthScore score = HealthScore.of(tallies.getOrDefault(month, HealthTally.NONE), plan.plan());
            points.add(new Month(YearMonth.from(month), HealthAnswers.metrics(score, plan.plan(), null),
                    HealthAnswers.incentive(score), HealthDecimals.round(score.score())));
        }
        return new History(id, from, to, Plan.of(plan), points);
    }

    record GroupIncentive(String currency, @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal revenue,
                          @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal amount) {
    }

    record Group(int rank, String key, List<String> reps,
                 @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal score, Map<String, Object> metrics,
                 List<GroupIncentive> incentive) {
    }

    record Ranking(String groupBy, LocalDate from, LocalDate to, Plan plan, List<Group> groups) {
    }

    @GetMapping("/api/v1/health")
    Ranking ranking(Caller caller, @RequestParam(required = false) String groupBy,
                    @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        GroupBy by = HealthParams.groupBy(groupBy);
        Period period = HealthParams.period(from, to, clock);
        Scope reps = scopes.reps(caller);
        HealthReadModel.PlanVersion plan = health.currentPlan();
        Map<String, HealthTally> tallies = health.tallies(reps, period.from(), period.to(), plan.plan());
        Map<String, User> users = new HashMap<>();
        for (User user : organisation.all()) {
            users.put(user.userId(), user);
        }
        Set<String> all = new LinkedHashSet<>(tallies.keySet());
        if (reps instanceof Scope.Owners owners) {
            all.addAll(owners.reps());
        } else {
            users.values().stream().filter(u -> u.roles().contains("rep")).forEach(u -> all.add(u.userId()));
        }
        Map<String, List<String>> members = new TreeMap<>();
        for (String rep : all) {
            User user = users.get(rep);
            String key = switch (by) {
                case REP -> rep;
                case TEAM -> user == null || user.team() == null ? NO_GROUP : user.team();
                case REGION -> user == null || user.region() == null ? NO_GROUP : user.region();
            };
            members.computeIfAbsent(key, k -> new ArrayList<>()).add(rep);
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : members.entrySet()) {
            List<String> names = e.getValue().stream().sorted().toList();
            HealthTally pooled = HealthTally.NONE;
            Map<String, BigDecimal[]> money = new TreeMap<>();
            for (String rep : names) {
                HealthTally t = tallies.getOrDefault(rep, HealthTally.NONE);
                pooled = pooled.plus(t);
                for (HealthScore.Incentive i : HealthScore.of(t, plan.plan()).incentive()) {
                    BigDecimal[] sum = money.computeIfAbsent(i.currency(),
                            c -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                    sum[0] = sum[0].add(i.revenue());
                    sum[1] = sum[1].add(i.amount());
                }
            }
            HealthScore score = HealthScore.of(pooled, plan.plan());
            groups.add(new Group(0, e.getKey(), names, score.score(), HealthAnswers.metrics(score, plan.plan(), null),
                    money.entrySet().stream().map(m -> new GroupIncentive(m.getKey(),
                            HealthDecimals.round(m.getValue()[0]), HealthDecimals.money(m.getValue()[1]))).toList()));
        }
        groups.sort(Comparator.comparing(Group::score).reversed().thenComparing(Group::key));
        List<Group> ranked = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            ranked.add(new Group(i + 1, g.key(), g.reps(), HealthDecimals.round(g.score()), g.metrics(),
                    g.incentive()));
        }
        return new Ranking(by.code(), period.from(), period.to(), Plan.of(plan), ranked);
    }
}
