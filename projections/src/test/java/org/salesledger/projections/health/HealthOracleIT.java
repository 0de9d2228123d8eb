package org.salesledger.projections.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jooq.CloseableDSLContext;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.ObjectionRaised;
import org.salesledger.kernel.health.HealthMetric;
import org.salesledger.kernel.health.IncentivePlan;
import org.salesledger.kernel.marketing.CustomerActionObserved;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.value.ContractLine;
import org.salesledger.kernel.visit.VisitLogged;
import org.salesledger.projections.health.HealthLog.Stored;
import org.salesledger.projections.testing.Migrated;

/**
 * Every health metric, its evidence and the incentive, for every rep and several periods, equal an independent
 * computation written here over the list of stored actions — random journeys (seeded) with reassignments, pool
 * releases and claims, three currencies, contracts with and without lines, signals and follow-ups stored out of time
 * order, key actions observed before and after, system actions — under the default plan and under a published plan
 * that uses the other new-customer definition and other windows; publishing it changes the answers for the same
 * past periods at once. The reps' days the projection keeps by differences equal a recount of the action rows, under
 * either plan, and the answers read from them equal those counted from the action rows.
 */
class HealthOracleIT {

    private static final List<String> REPS = List.of("r1", "r2", "r3", "r4");
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final MathContext DIGITS = MathContext.DECIMAL128;

    @Migrated
    private static CloseableDSLContext db;

    /** The oracle's own copy of a plan: the contract's table, or a published body's values, written out. */
    record Plan(BigDecimal baseRate, boolean firstOrder, Duration newCustomerWindow, BigDecimal highMarginPct,
                Duration followUpWithin, Set<String> keyTypes, Duration taskClosureWithin,
                Map<String, BigDecimal[]> targets) {
    }

    private static Map<String, BigDecimal[]> targets(String... codeTargetPoints) {
        Map<String, BigDecimal[]> t = new LinkedHashMap<>();
        for (int i = 0; i < codeTargetPoints.length; i += 3) {
            t.put(codeTargetPoints[i], new BigDecimal[] {new BigDecimal(codeTargetPoints[i + 1]),
                    new BigDecimal(codeTargetPoints[i + 2])});
        }
        return t;
    }

    static final Plan CONTRACT = new Plan(new BigDecimal("0.05"), true, Duration.ofDays(90), new BigDecimal("30"),
            Duration.ofHours(48), Set.of("ProposalSent", "MessageSent"), Duration.ofDays(7), targets(
            "newCustomerShare", "0.35", "2.5", "highMarginShare", "0.40", "1.5", "crossDepartmentDeals", "2", "1.2",
            "followUpTimeliness", "0.80", "1.2", "customerActionCompletionRate", "0.50", "2.0",
            "taskClosureRate", "0.60", "1.2"));

    static final Map<String, Object> PUBLISHED_BODY = Map.of("kind", "INCENTIVE", "baseRate", "0.03",
            "newCustomer", "FIRST_EFFECTIVE_CONTACT", "newCustomerWindow", "P20D", "highMarginPct", 25,
            "followUpWithin", "PT24H", "keyActionTypes", List.of("ProposalSent", "TrialRequested"),
            "taskClosureWithin", "P3D", "targets", Map.of("newCustomerShare", Map.of("target", "0.2"),
                    "followUpTimeliness", Map.of("target", "0.3", "points", "4"),
                    "taskClosureRate", Map.of("target", "0.25"), "crossDepartmentDeals", Map.of("target", 1)));

    static final Plan PUBLISHED = new Plan(new BigDecimal("0.03"), false, Duration.ofDays(20), new BigDecimal("25"),
            Duration.ofHours(24), Set.of("ProposalSent", "TrialRequested"), Duration.ofDays(3), targets(
            "newCustomerShare", "0.2", "2.5", "highMarginShare", "0.40", "1.5", "crossDepartmentDeals", "1", "1.2",
            "followUpTimeliness", "0.3", "4", "customerActionCompletionRate", "0.50", "2.0",
            "taskClosureRate", "0.25", "1.2"));

    private static final List<LocalDate[]> PERIODS = List.of(
            new LocalDate[] {LocalDate.of(2025, 1, 1), LocalDate.of(2025, 2, 1)},
            new LocalDate[] {LocalDate.of(2025, 2, 1), LocalDate.of(2025, 3, 1)},
            new LocalDate[] {LocalDate.of(2025, 3, 1), LocalDate.of(2025, 4, 1)},
            new LocalDate[] {LocalDate.of(2025, 2, 10), LocalDate.of(2025, 3, 20)},
            new LocalDate[] {LocalDate.of(2024, 12, 1), LocalDate.of(2025, 7, 1)});

    @Test
    void everyRepsMetricsEvidenceAndIncentiveEqualTheIndependentComputation_underTwoPlans() {
        for (long seed : List.of(7L, 2025L)) {
            HealthProjection projection = new HealthProjection(db, new HealthTables().healthTables());
            projection.reset();
            HealthLog log = new HealthLog(projection);
            Random random = new Random(seed);
            if (seed != 7L) {
                // as a processor batch: many customers' actions, interleaved, written together
                log.batches(97);
            }
            journeys(random, "s" + seed, log, seed != 7L);
            log.flush();
            HealthReadModel health = new HealthQueries(db);

            assertThat(health.currentPlan()).isEqualTo(HealthReadModel.PlanVersion.DEFAULT);
            List<String> before = compare(health, log.stored(), CONTRACT, "seed " + seed + ", default plan");

            log.publish("incentive-2025", 1, PUBLISHED_BODY, "2025-06-01T00:00:00Z");
            HealthReadModel.PlanVersion current = health.currentPlan();
            assertThat(current.ruleId()).isEqualTo("incentive-2025");
            assertThat(current.version()).isEqualTo(1);
            List<String> after = compare(health, log.stored(), PUBLISHED, "seed " + seed + ", published plan");
            assertThat(after).as("a new plan changes the answers for the same past periods").isNotEqualTo(before);
        }
    }

    /**
     * The reps' days as the batches left them, moved by differences, equal a count of the action rows now, under the
     * plan in force; and each answer read from them equals the same answer counted from the action rows.
     */
    private static void assertTheDaysAreTheActionRowsCounted(HealthQueries health, IncentivePlan plan, String as) {
        HealthDays.Basis basis = HealthDays.Basis.of(plan);
        assertThat(db.fetchOne("select follow_up_within, task_closure_within, key_types, new_customer, "
                + "new_customer_window, high_margin_pct from health_tally_basis").intoArray())
                .as(as + ": the days are counted under the plan in force").containsExactly(basis.followUpWithin(),
                        basis.taskClosureWithin(), basis.keyTypeArray(), basis.newCustomer(),
                        basis.newCustomerWindow(), basis.highMarginPct());
        String actionDays = "select rep_id, day, signals, followed, key_actions, observed, visits, visits_closed "
                + "from health_day where signals + followed + key_actions + observed + visits + visits_closed > 0 "
                + "order by rep_id, day";
        String contractDays = "select rep_id, day, currency, contracts, revenue, new_contracts, cross_contracts, "
                + "with_lines, line_amount, high_amount, high_contracts from health_day_contract order by 1, 2, 3";
        var actionsKept = db.fetch(actionDays).intoArrays();
        var contractsKept = db.fetch(contractDays).intoArrays();
        assertThat(actionsKept).as(as + ": action days were counted").isNotEmpty();
        assertThat(contractsKept).as(as + ": contract days were counted").isNotEmpty();
        db.execute("delete from health_tally_basis");
        new HealthDays(db, org.jooq.impl.DSL::name).moveTo(basis);
        assertThat(db.fetch(actionDays).intoArrays()).as(as + ": the action days kept equal a recount")
                .isEqualTo(actionsKept);
        assertThat(db.fetch(contractDays).intoArrays()).as(as + ": the contract days kept equal a recount")
                .isEqualTo(contractsKept);
        for (LocalDate[] period : PERIODS) {
            assertThat(health.tallies(Scope.ALL, period[0], period[1], plan)).as(as + " " + period[0])
                    .isEqualTo(health.talliesFromActionRows(Scope.ALL, period[0], period[1], plan));
            for (String rep : REPS) {
                assertThat(health.monthlyTallies(Scope.ALL, rep, period[0], period[1], plan)).as(as + " " + rep)
                        .isEqualTo(health.monthlyTalliesFromActionRows(Scope.ALL, rep, period[0], period[1], plan));
            }
        }
    }

    /** Compares every rep and period; returns a digest of the answers (to see a plan change them). */
    private List<String> compare(HealthReadModel health, List<Stored> stored, Plan plan, String as) {
        Oracle oracle = new Oracle(stored);
        var productionPlan = health.currentPlan().plan();
        assertTheDaysAreTheActionRowsCounted((HealthQueries) health, productionPlan, as);
        List<String> digest = new ArrayList<>();
        int metricsMet = 0;
        for (LocalDate[] period : PERIODS) {
            Map<String, HealthTally> tallies = health.tallies(Scope.ALL, period[0], period[1], productionPlan);
            for (String rep : REPS) {
                String at = as + ", " + rep + " " + period[0] + ".." + period[1];
                Expected e = oracle.expected(rep, period[0], period[1], plan);
                HealthScore score = HealthScore.of(tallies.getOrDefault(rep, HealthTally.NONE), productionPlan);
                for (HealthMetric metric : HealthMetric.values()) {
                    if (metric.perCurrency()) {
                        continue;
                    }
                    OracleMetric o = e.metrics.get(metric.code());
                    HealthScore.Metric m = score.metrics().get(metric);
                    assertThat(m.numerator()).as(at + " " + metric.code() + " numerator").isEqualByComparingTo(
                            BigDecimal.valueOf(o.evidence.size()));
                    assertThat(m.denominator()).as(at + " " + metric.code() + " denominator")
                            .isEqualByComparingTo(BigDecimal.valueOf(o.denominator));
                    assertThat(String.valueOf(m.value() == null ? null : m.value().stripTrailingZeros()))
                            .as(at + " " + metric.code() + " value")
                            .isEqualTo(String.valueOf(o.value == null ? null : o.value.stripTrailingZeros()));
                    assertThat(m.met()).as(at + " " + metric.code() + " met").isEqualTo(o.met);
                    metricsMet += o.met ? 1 : 0;
                    assertThat(health.evidence(Scope.ALL, rep, metric, null, period[0], period[1], productionPlan, 0,
                            100_000)).as(at + " " + metric.code() + " evidence").isEqualTo(o.evidence);
                    digest.add(at + metric.code() + o.value + o.met);
                }
                assertThat(score.highMargin()).as(at + " highMarginShare currencies")
                        .extracting(HealthScore.CurrencyMetric::currency)
                        .containsExactlyElementsOf(e.highMargin.keySet());
                for (HealthScore.CurrencyMetric c : score.highMargin()) {
                    OracleCurrency o = e.highMargin.get(c.currency());
                    assertThat(c.numerator()).as(at + " highMargin " + c.currency()).isEqualByComparingTo(o.high);
                    assertThat(c.denominator()).as(at + " highMargin total " + c.currency())
                            .isEqualByComparingTo(o.total);
                    assertThat(c.met()).as(at + " highMargin met " + c.currency()).isEqualTo(o.met);
                    assertThat(health.evidence(Scope.ALL, rep, HealthMetric.HIGH_MARGIN_SHARE, c.currency(),
                            period[0], period[1], productionPlan, 0, 100_000))
                            .as(at + " highMargin evidence " + c.currency()).isEqualTo(o.evidence);
                    digest.add(at + c.currency() + o.met);
                }
                assertThat(score.incentive()).as(at + " incentive currencies")
                        .extracting(HealthScore.Incentive::currency).containsExactlyElementsOf(e.amounts.keySet());
                for (HealthScore.Incentive i : score.incentive()) {
                    assertThat(i.revenue()).as(at + " revenue " + i.currency())
                            .isEqualByComparingTo(e.revenue.get(i.currency()));
                    assertThat(i.amount()).as(at + " incentive " + i.currency())
                            .isEqualByComparingTo(e.amounts.get(i.currency()));
                    digest.add(at + i.currency() + i.amount().stripTrailingZeros().toPlainString());
                }
            }
        }
        assertThat(metricsMet).as(as + ": some metrics are met, some not").isPositive().isLessThan(digest.size());
        return digest;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the journeys

    /** One pending action of a journey. */
    private record Pending(String id, Instant time, String actor, CustomerAction action) {
    }

    /**
     * 60 customers' journeys; appended customer by customer, or {@code interleaved}: each next action taken from a
     * random customer's journey (each customer's own order kept).
     */
    private static void journeys(Random random, String prefix, HealthLog log, boolean interleaved) {
        List<List<Pending>> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            List<Pending> journey = new ArrayList<>();
            all.add(journey);
            journey(random, prefix + "-c" + i, journey);
        }
        if (!interleaved) {
            all.forEach(j -> j.forEach(p -> log.append(p.id(), p.time(), p.actor(), p.action())));
            return;
        }
        List<java.util.Iterator<Pending>> open = new ArrayList<>();
        all.forEach(j -> open.add(j.iterator()));
        while (!open.isEmpty()) {
            int k = random.nextInt(open.size());
            Pending p = open.get(k).next();
            log.append(p.id(), p.time(), p.actor(), p.action());
            if (!open.get(k).hasNext()) {
                open.remove(k);
            }
        }
    }

    private static void journey(Random random, String c, List<Pending> log) {
        {
            String owner = REPS.get(random.nextInt(REPS.size()));
            Instant base = START.plus(Duration.ofHours(random.nextInt(24 * 100)));
            int[] n = {0};
            java.util.function.Supplier<String> id = () -> c + "-" + (n[0]++);
            log.add(new Pending(id.get(), base, owner, HealthLog.registered(c, owner)));
            int actions = 5 + random.nextInt(20);
            for (int k = 0; k < actions; k++) {
                Instant at = base.plus(Duration.ofHours(random.nextInt(24 * 60) - 24 * 5));
                String actor = owner == null ? REPS.get(random.nextInt(REPS.size())) : owner;
                if (random.nextInt(10) == 0) {
                    actor = "system";
                }
                int kind = random.nextInt(100);
                CustomerAction action;
                if (kind < 16) {
                    action = HealthLog.visit(c);
                } else if (kind < 28) {
                    action = HealthLog.proposal(c);
                } else if (kind < 36) {
                    action = HealthLog.trial(c);
                } else if (kind < 48) {
                    action = HealthLog.objection(c);
                } else if (kind < 62) {
                    // a receipt naming an action of this customer: earlier, later (not stored yet) or none at all
                    int ref = Math.max(0, n[0] + random.nextInt(10) - 6);
                    action = HealthLog.observed(c, c + "-" + ref);
                    actor = "system";
                } else if (kind < 78) {
                    action = contract(random, c, n[0]);
                } else if (kind < 81) {
                    action = HealthLog.lost(c);
                } else if (kind < 86 && owner != null) {
                    String to = REPS.get(random.nextInt(REPS.size()));
                    action = HealthLog.reassigned(c, owner, to, "SUPERVISOR");
                    actor = "sup-1";
                    owner = to;
                } else if (kind < 90 && owner != null) {
                    action = HealthLog.released(c, owner);
                    actor = "system";
                    owner = null;
                } else if (kind < 94 && owner == null) {
                    String to = REPS.get(random.nextInt(REPS.size()));
                    action = HealthLog.reassigned(c, null, to, "POOL");
                    actor = to;
                    owner = to;
                } else {
                    action = new org.salesledger.kernel.deal.NeedsConfirmed(HealthLog.c(c), List.of("x"), null);
                }
                log.add(new Pending(id.get(), at, actor, action));
            }
        }
    }

    private static ContractSigned contract(Random random, String c, int n) {
        String currency = List.of("CNY", "USD", "EUR").get(random.nextInt(3));
        String amount = (100 + random.nextInt(100_000)) + "." + String.format("%02d", random.nextInt(100));
        List<ContractLine> lines = null;
        if (random.nextInt(10) >= 4) {
            lines = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int l = 0; l < count; l++) {
                String margin = List.of("10", "24.99", "25", "29.99", "30", "45", "").get(random.nextInt(7));
                lines.add(HealthLog.line(random.nextBoolean() ? String.valueOf(1 + random.nextInt(5)) : "1.5",
                        (1 + random.nextInt(999)) + "." + random.nextInt(10), margin.isEmpty() ? null : margin));
            }
        }
        List<String> departments = switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> List.of("sales");
            case 2 -> List.of("sales", "sales");
            case 3 -> List.of("sales", "service");
            default -> List.of("sales", "service", "finance");
        };
        return HealthLog.contract(c, "K-" + c + "-" + n, amount, currency, lines, departments);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the independent computation

    record OracleMetric(BigDecimal value, long denominator, boolean met, List<String> evidence) {
    }

    record OracleCurrency(BigDecimal high, BigDecimal total, boolean met, List<String> evidence) {
    }

    record Expected(Map<String, OracleMetric> metrics, Map<String, OracleCurrency> highMargin,
                    Map<String, BigDecimal> revenue, Map<String, BigDecimal> amounts) {
    }

    /** One stored action with what the fold in stored order knew when it came. */
    record Fact(Stored s, String type, String rep, boolean openBefore) {
    }

    static final class Oracle {
        final List<Fact> facts = new ArrayList<>();
        final Map<String, List<Fact>> byCustomer = new HashMap<>();
        final Set<String> observedIds = new HashSet<>();

        Oracle(List<Stored> stored) {
            Map<String, String> owner = new HashMap<>();
            Set<String> closed = new HashSet<>();
            for (Stored s : stored) {
                CustomerAction a = s.action();
                if (a instanceof CustomerRegistered r) {
                    owner.put(s.customer(), r.ownerRepId().value());
                }
                Fact f = new Fact(s, a.getClass().getSimpleName(), owner.get(s.customer()),
                        !closed.contains(s.customer()));
                facts.add(f);
                byCustomer.computeIfAbsent(s.customer(), k -> new ArrayList<>()).add(f);
                if (a instanceof CustomerReassigned r) {
                    owner.put(s.customer(), r.toRepId().value());
                } else if (a instanceof CustomerReleasedToPool) {
                    owner.put(s.customer(), null);
                } else if (a instanceof ContractSigned || a instanceof DealLost) {
                    closed.add(s.customer());
                } else if (a instanceof CustomerActionObserved o) {
                    observedIds.add(o.refActionId());
                }
            }
        }

        static boolean sales(Fact f) {
            return !f.s().actor().equals("system") && !f.type().equals("CustomerActionObserved");
        }

        static boolean in(Instant t, LocalDate from, LocalDate to) {
            return !t.isBefore(from.atStartOfDay().toInstant(ZoneOffset.UTC))
                    && t.isBefore(to.atStartOfDay().toInstant(ZoneOffset.UTC));
        }

        /** Whether some action of the customer matching {@code which} has a time in (t, t + window]. */
        boolean followed(Fact f, Duration window, java.util.function.Predicate<Fact> which) {
            Instant t = f.s().time();
            return byCustomer.get(f.s().customer()).stream().filter(which).map(x -> x.s().time())
                    .anyMatch(x -> x.isAfter(t) && !x.isAfter(t.plus(window)));
        }

        boolean isNew(Fact contract, Plan plan) {
            List<Fact> mine = byCustomer.get(contract.s().customer());
            if (plan.firstOrder()) {
                Fact first = mine.stream().filter(x -> x.s().action() instanceof ContractSigned)
                        .min(Comparator.comparing((Fact x) -> x.s().time()).thenComparing(x -> x.s().seq()))
                        .orElseThrow();
                return first == contract;
            }
            Instant t = contract.s().time();
            return mine.stream().filter(x -> x.s().action() instanceof VisitLogged
                            || x.s().action() instanceof CustomerActionObserved).map(x -> x.s().time())
                    .min(Comparator.naturalOrder())
                    .map(e -> !e.isAfter(t) && !e.isBefore(t.minus(plan.newCustomerWindow()))).orElse(false);
        }

        static List<String> ids(List<Fact> facts) {
            return facts.stream().sorted(Comparator.comparing((Fact x) -> x.s().time()).thenComparing(x -> x.s().id()))
                    .map(x -> x.s().id()).toList();
        }

        static boolean met(String code, BigDecimal value, Plan plan) {
            if (value == null) {
                return false;
            }
            int c = value.compareTo(plan.targets().get(code)[0]);
            return code.equals("newCustomerShare") ? c > 0 : c >= 0;
        }

        static OracleMetric ratio(String code, List<Fact> numerator, long denominator, Plan plan) {
            BigDecimal value = denominator == 0 ? null
                    : new BigDecimal(numerator.size()).divide(new BigDecimal(denominator), DIGITS);
            return new OracleMetric(value, denominator, met(code, value, plan), ids(numerator));
        }

        Expected expected(String rep, LocalDate from, LocalDate to, Plan plan) {
            List<Fact> mine = facts.stream().filter(f -> rep.equals(f.rep()) && in(f.s().time(), from, to)).toList();
            List<Fact> contracts = mine.stream().filter(f -> f.s().action() instanceof ContractSigned).toList();
            Map<String, OracleMetric> metrics = new LinkedHashMap<>();
            metrics.put("newCustomerShare", ratio("newCustomerShare",
                    contracts.stream().filter(k -> isNew(k, plan)).toList(), contracts.size(), plan));
            List<Fact> cross = contracts.stream().filter(k -> {
                List<String> d = ((ContractSigned) k.s().action()).departments();
                return d != null && new HashSet<>(d).size() >= 2;
            }).toList();
            BigDecimal crossValue = contracts.isEmpty() ? null : new BigDecimal(cross.size());
            metrics.put("crossDepartmentDeals", new OracleMetric(crossValue, contracts.size(),
                    met("crossDepartmentDeals", crossValue, plan), ids(cross)));
            List<Fact> signals = mine.stream().filter(f -> (f.s().action() instanceof ObjectionRaised
                    || f.s().action() instanceof CustomerActionObserved) && f.openBefore()).toList();
            metrics.put("followUpTimeliness", ratio("followUpTimeliness", signals.stream()
                    .filter(f -> followed(f, plan.followUpWithin(), Oracle::sales)).toList(), signals.size(), plan));
            List<Fact> keys = mine.stream().filter(f -> sales(f) && plan.keyTypes().contains(f.type())).toList();
            metrics.put("customerActionCompletionRate", ratio("customerActionCompletionRate",
                    keys.stream().filter(f -> observedIds.contains(f.s().id())).toList(), keys.size(), plan));
            List<Fact> visits = mine.stream().filter(f -> f.s().action() instanceof VisitLogged).toList();
            metrics.put("taskClosureRate", ratio("taskClosureRate", visits.stream().filter(f -> followed(f,
                    plan.taskClosureWithin(), x -> sales(x) && !x.type().equals("VisitLogged"))).toList(),
                    visits.size(), plan));

            BigDecimal points = BigDecimal.ZERO;
            for (Map.Entry<String, OracleMetric> m : metrics.entrySet()) {
                if (m.getValue().met()) {
                    points = points.add(plan.targets().get(m.getKey())[1]);
                }
            }
            Map<String, OracleCurrency> highMargin = new TreeMap<>();
            Map<String, BigDecimal> revenue = new TreeMap<>();
            Map<String, BigDecimal> amounts = new TreeMap<>();
            Set<String> currencies = new TreeSet<>();
            contracts.forEach(k -> currencies.add(((ContractSigned) k.s().action()).amount().currency()));
            for (String currency : currencies) {
                List<Fact> inCurrency = contracts.stream()
                        .filter(k -> ((ContractSigned) k.s().action()).amount().currency().equals(currency)).toList();
                BigDecimal high = BigDecimal.ZERO;
                BigDecimal total = BigDecimal.ZERO;
                BigDecimal rev = BigDecimal.ZERO;
                boolean withLines = false;
                List<Fact> evidence = new ArrayList<>();
                for (Fact k : inCurrency) {
                    ContractSigned signed = (ContractSigned) k.s().action();
                    rev = rev.add(signed.amount().value());
                    if (signed.lines() == null || signed.lines().isEmpty()) {
                        continue;
                    }
                    withLines = true;
                    boolean anyHigh = false;
                    for (ContractLine line : signed.lines()) {
                        BigDecimal amount = line.quantity().multiply(line.unitPrice());
                        total = total.add(amount);
                        if (line.grossMarginPct() != null && line.grossMarginPct().compareTo(plan.highMarginPct()) >= 0) {
                            high = high.add(amount);
                            anyHigh = true;
                        }
                    }
                    if (anyHigh) {
                        evidence.add(k);
                    }
                }
                BigDecimal bonus = points;
                if (withLines) {
                    BigDecimal value = total.signum() == 0 ? null : high.divide(total, DIGITS);
                    boolean met = value != null && value.compareTo(plan.targets().get("highMarginShare")[0]) >= 0;
                    highMargin.put(currency, new OracleCurrency(high, total, met, ids(evidence)));
                    if (met) {
                        bonus = bonus.add(plan.targets().get("highMarginShare")[1]);
                    }
                }
                revenue.put(currency, rev);
                BigDecimal rate = plan.baseRate().add(bonus.movePointLeft(2));
                amounts.put(currency, rev.multiply(rate));
            }
            return new Expected(metrics, highMargin, revenue, amounts);
        }
    }
}
