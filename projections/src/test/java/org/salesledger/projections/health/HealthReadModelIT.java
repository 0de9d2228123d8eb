package org.salesledger.projections.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.projections.health.HealthLog.contract;
import static org.salesledger.projections.health.HealthLog.line;
import static org.salesledger.projections.health.HealthLog.objection;
import static org.salesledger.projections.health.HealthLog.observed;
import static org.salesledger.projections.health.HealthLog.proposal;
import static org.salesledger.projections.health.HealthLog.reassigned;
import static org.salesledger.projections.health.HealthLog.registered;
import static org.salesledger.projections.health.HealthLog.released;
import static org.salesledger.projections.health.HealthLog.visit;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.CloseableDSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.health.HealthMetric;
import org.salesledger.kernel.health.IncentivePlan;
import org.salesledger.projections.testing.Migrated;

/**
 * Rep health worked by hand (contract §8, docs/health.md): one rep's March 2025 — every metric, its evidence and the
 * incentive — then the same facts under a published plan, a later version and its retirement.
 */
class HealthReadModelIT {

    private static final LocalDate MARCH = LocalDate.of(2025, 3, 1);
    private static final LocalDate APRIL = LocalDate.of(2025, 4, 1);
    private static final Scope R1 = Scope.owners(Set.of("r1"));

    @Migrated
    private static CloseableDSLContext db;
    private HealthLog log;
    private HealthReadModel health;

    @BeforeEach
    void setUp() {
        HealthProjection projection = new HealthProjection(db, new HealthTables().healthTables());
        projection.reset();
        log = new HealthLog(projection);
        health = new HealthQueries(db);
        march();
    }

    /**
     * c1: visit, proposal (read), contract K1 with a high-margin line and two departments — its first.
     * c2: won in January; an objection in March is on a won customer (not a signal that counts); K2 in USD, not new.
     * c3: objection followed within 48 h by a visit; the visit's next other action 8 days later (not closed);
     *     proposal never read; K3: a line at exactly 30 % (high) and one without a margin, departments a, b, a.
     * c4: r2's, reassigned to r1, read receipt (a signal) never followed; released to the pool, then an objection that
     *     counts for nobody.
     * c5: a visit stored before the objection it follows (earlier stored, later in time).
     */
    private void march() {
        log.append("c1-reg", "2025-02-20T09:00:00Z", "r1", registered("c1", "r1"));
        log.append("c1-visit", "2025-03-02T10:00:00Z", "r1", visit("c1"));
        log.append("c1-prop", "2025-03-05T10:00:00Z", "r1", proposal("c1"));
        log.append("c1-read", "2025-03-06T10:00:00Z", "system", observed("c1", "c1-prop"));
        log.append("K1", "2025-03-10T10:00:00Z", "r1", contract("c1", "K1", "1000", "CNY",
                List.of(line("2", "300", "40"), line("1", "400", "10")), List.of("sales", "service")));
        log.append("c2-reg", "2025-01-05T09:00:00Z", "r1", registered("c2", "r1"));
        log.append("K0", "2025-01-15T10:00:00Z", "r1", contract("c2", "K0", "100", "CNY", null, null));
        log.append("c2-obj", "2025-03-03T12:00:00Z", "r1", objection("c2"));
        log.append("K2", "2025-03-20T10:00:00Z", "r1", contract("c2", "K2", "500", "USD", null, List.of("sales")));
        log.append("c3-reg", "2025-03-01T00:00:00Z", "r1", registered("c3", "r1"));
        log.append("c3-obj", "2025-03-03T12:00:00Z", "r1", objection("c3"));
        log.append("c3-visit", "2025-03-04T10:00:00Z", "r1", visit("c3"));
        log.append("c3-prop", "2025-03-12T10:00:00Z", "r1", proposal("c3"));
        log.append("K3", "2025-03-15T10:00:00Z", "r1", contract("c3", "K3", "200", "CNY",
                List.of(line("1", "100", "30"), line("1", "100", null)), List.of("a", "b", "a")));
        log.append("c4-reg", "2025-03-01T00:00:00Z", "r2", registered("c4", "r2"));
        log.append("c4-move", "2025-03-02T00:00:00Z", "sup", reassigned("c4", "r2", "r1", "SUPERVISOR"));
        log.append("c4-read", "2025-03-08T10:00:00Z", "system", observed("c4", "elsewhere"));
        log.append("c4-pool", "2025-03-09T00:00:00Z", "system", released("c4", "r1"));
        log.append("c4-obj", "2025-03-11T10:00:00Z", "r1", objection("c4"));
        log.append("c5-reg", "2025-03-01T00:00:00Z", "r1", registered("c5", "r1"));
        log.append("c5-visit", "2025-03-21T10:00:00Z", "r1", visit("c5"));
        log.append("c5-obj", "2025-03-20T10:00:00Z", "r1", objection("c5"));
    }

    private HealthScore score(IncentivePlan plan) {
        return HealthScore.of(health.tallies(R1, MARCH, APRIL, plan).getOrDefault("r1", HealthTally.NONE), plan);
    }

    private List<String> evidence(HealthMetric metric, String currency, IncentivePlan plan) {
        return health.evidence(R1, "r1", metric, currency, MARCH, APRIL, plan, 0, 100);
    }

    @Test
    void scoresOneRepsMonth_everyMetricItsEvidenceAndTheIncentive() {
        HealthScore score = score(IncentivePlan.DEFAULT);
        Map<HealthMetric, HealthScore.Metric> m = score.metrics();

        assertThat(m.get(HealthMetric.NEW_CUSTOMER_SHARE)).satisfies(x -> {
            assertThat(x.numerator()).isEqualByComparingTo("2");
            assertThat(x.denominator()).isEqualByComparingTo("3");
            assertThat(x.value()).isEqualByComparingTo("0.6666666666666666666666666666666667");
            assertThat(x.met()).isTrue();
            assertThat(x.points()).isEqualByComparingTo("2.5");
        });
        assertThat(m.get(HealthMetric.CROSS_DEPARTMENT_DEALS)).satisfies(x -> {
            assertThat(x.value()).isEqualByComparingTo("2");
            assertThat(x.denominator()).isEqualByComparingTo("3");
            assertThat(x.met()).isTrue();
            assertThat(x.points()).isEqualByComparingTo("1.2");
        });
        assertThat(m.get(HealthMetric.FOLLOW_UP_TIMELINESS)).satisfies(x -> {
            assertThat(x.numerator()).isEqualByComparingTo("2"); // c3-obj, c5-obj
            assertThat(x.denominator()).isEqualByComparingTo("4"); // + c1-read, c4-read; not c2-obj (won), c4-obj (pool)
            assertThat(x.met()).isFalse();
            assertThat(x.points()).isZero();
        });
        assertThat(m.get(HealthMetric.CUSTOMER_ACTION_COMPLETION_RATE)).satisfies(x -> {
            assertThat(x.value()).isEqualByComparingTo("0.5");
            assertThat(x.met()).isTrue();
        });
        assertThat(m.get(HealthMetric.TASK_CLOSURE_RATE)).satisfies(x -> {
            assertThat(x.numerator()).isEqualByComparingTo("1");
            assertThat(x.denominator()).isEqualByComparingTo("3");
            assertThat(x.met()).isFalse();
        });
        assertThat(score.highMargin()).singleElement().satisfies(x -> {
            assertThat(x.currency()).isEqualTo("CNY");
            assertThat(x.numerator()).isEqualByComparingTo("700");
            assertThat(x.denominator()).isEqualByComparingTo("1200");
            assertThat(x.met()).isTrue();
            assertThat(x.evidenceCount()).isEqualTo(2);
        });
        // 2.5 + 1.2 + 2.0 = 5.7 points; CNY also 1.5 for its high-margin share
        assertThat(score.incentive()).extracting(HealthScore.Incentive::currency).containsExactly("CNY", "USD");
        assertThat(score.incentive().get(0)).satisfies(i -> {
            assertThat(i.revenue()).isEqualByComparingTo("1200");
            assertThat(i.bonusPoints()).isEqualByComparingTo("7.2");
            assertThat(i.rate()).isEqualByComparingTo("0.122");
            assertThat(i.amount()).isEqualByComparingTo("146.4");
        });
        assertThat(score.incentive().get(1)).satisfies(i -> {
            assertThat(i.revenue()).isEqualByComparingTo("500");
            assertThat(i.rate()).isEqualByComparingTo("0.107");
            assertThat(i.amount()).isEqualByComparingTo("53.5");
        });
        assertThat(score.score()).isEqualByComparingTo("7.2");

        IncentivePlan p = IncentivePlan.DEFAULT;
        assertThat(evidence(HealthMetric.NEW_CUSTOMER_SHARE, null, p)).containsExactly("K1", "K3");
        assertThat(evidence(HealthMetric.HIGH_MARGIN_SHARE, "CNY", p)).containsExactly("K1", "K3");
        assertThat(evidence(HealthMetric.HIGH_MARGIN_SHARE, "USD", p)).isEmpty();
        assertThat(evidence(HealthMetric.CROSS_DEPARTMENT_DEALS, null, p)).containsExactly("K1", "K3");
        assertThat(evidence(HealthMetric.FOLLOW_UP_TIMELINESS, null, p)).containsExactly("c3-obj", "c5-obj");
        assertThat(evidence(HealthMetric.CUSTOMER_ACTION_COMPLETION_RATE, null, p)).containsExactly("c1-prop");
        assertThat(evidence(HealthMetric.TASK_CLOSURE_RATE, null, p)).containsExactly("c1-visit");
        assertThat(health.evidence(R1, "r1", HealthMetric.NEW_CUSTOMER_SHARE, null, MARCH, APRIL, p, 1, 100))
                .containsExactly("K3");
    }

    @Test
    void aRankingReadsTheRepsDaysCountedUnderThePlan_aDraftWithOtherParametersReadsTheRows() {
        HealthTally counted = health.tallies(Scope.ALL, MARCH, APRIL, IncentivePlan.DEFAULT).get("r1");
        db.execute("update health_day set visits = visits + 100 where rep_id = 'r1' and day = (select min(day) "
                + "from health_day where rep_id = 'r1' and day >= '2025-03-01')");
        db.execute("update health_day_contract set cross_contracts = cross_contracts + 10 where rep_id = 'r1' "
                + "and (day, currency) = (select min(day), min(currency) from health_day_contract where rep_id = 'r1' "
                + "and day >= '2025-03-01' and currency = 'CNY')");

        assertThat(health.tallies(Scope.ALL, MARCH, APRIL, IncentivePlan.DEFAULT).get("r1").visits())
                .as("read from the days").isEqualTo(counted.visits() + 100);
        assertThat(health.tallies(Scope.ALL, MARCH, APRIL, IncentivePlan.DEFAULT).get("r1")
                .crossDepartmentContracts()).as("read from the days").isEqualTo(counted.crossDepartmentContracts() + 10);
        assertThat(health.monthlyTallies(R1, "r1", MARCH, APRIL, IncentivePlan.DEFAULT).get(MARCH).visits())
                .isEqualTo(counted.visits() + 100);
        for (Map<String, Object> draft : List.<Map<String, Object>>of(Map.of("followUpWithin", "PT24H"),
                Map.of("taskClosureWithin", "P8D"), Map.of("keyActionTypes", List.of("ProposalSent")),
                Map.of("newCustomer", "FIRST_EFFECTIVE_CONTACT"), Map.of("newCustomerWindow", "P30D"),
                Map.of("highMarginPct", 35))) {
            Map<String, Object> body = new java.util.HashMap<>(draft);
            body.put("kind", "INCENTIVE");
            IncentivePlan plan = IncentivePlan.parse(new com.fasterxml.jackson.databind.ObjectMapper()
                    .valueToTree(body)).plan();
            assertThat(health.tallies(Scope.ALL, MARCH, APRIL, plan).get("r1").visits()).as("%s", draft)
                    .isEqualTo(counted.visits());
            assertThat(health.tallies(Scope.ALL, MARCH, APRIL, plan).get("r1").crossDepartmentContracts())
                    .as("%s", draft).isEqualTo(counted.crossDepartmentContracts());
        }
    }

    @Test
    void anObservationOfAnotherCustomersKeyActionMovesThatRepsDay() {
        long observed = health.tallies(R1, MARCH, APRIL, IncentivePlan.DEFAULT).get("r1").keyActionsObserved();
        // c3's proposal, never read so far, observed on c5 (a later batch, another customer)
        log.append("c5-read", "2025-03-22T10:00:00Z", "system", observed("c5", "c3-prop"));

        assertThat(health.tallies(R1, MARCH, APRIL, IncentivePlan.DEFAULT).get("r1").keyActionsObserved())
                .isEqualTo(observed + 1)
                .isEqualTo(((HealthQueries) health).talliesFromActionRows(R1, MARCH, APRIL, IncentivePlan.DEFAULT)
                        .get("r1").keyActionsObserved());
    }

    @Test
    void aPlanChangingTheWindowsRecountsTheDaysAtOnce_andItsRetirementCountsUnderTheDefaultAgain() {
        HealthTally before = health.tallies(Scope.ALL, MARCH, APRIL, IncentivePlan.DEFAULT).get("r1");
        log.publish("incentive", 1, Map.of("kind", "INCENTIVE", "followUpWithin", "PT1H", "taskClosureWithin",
                "P10D", "keyActionTypes", List.of("ProposalSent")), "2025-04-01T00:00:00Z");
        IncentivePlan published = health.currentPlan().plan();

        assertThat(db.fetchValue("select follow_up_within from health_tally_basis")).isEqualTo("PT1H");
        assertThat(health.tallies(Scope.ALL, MARCH, APRIL, published))
                .isEqualTo(((HealthQueries) health).talliesFromActionRows(Scope.ALL, MARCH, APRIL, published))
                .isNotEqualTo(Map.of("r1", before));
        log.retire("incentive", 2, "2025-04-02T00:00:00Z");
        assertThat(db.fetchValue("select follow_up_within from health_tally_basis"))
                .isEqualTo(IncentivePlan.DEFAULT.followUpWithin().toString());
        assertThat(health.tallies(Scope.ALL, MARCH, APRIL, IncentivePlan.DEFAULT)).isEqualTo(Map.of("r1", before));
    }

    @Test
    void aRedeliveredHistoryChangesNothing() {
        HealthTally before = health.tallies(Scope.ALL, MARCH, APRIL, IncentivePlan.DEFAULT).get("r1");
        log.stored().forEach(log::replay);
        assertThat(health.tallies(Scope.ALL, MARCH, APRIL, IncentivePlan.DEFAULT).get("r1")).isEqualTo(before);
    }

    @Test
    void countsOnlyTheRepsOfTheScope_andARepWithNothingCountedIsAbsent() {
        assertThat(health.tallies(Scope.ALL, MARCH, APRIL, IncentivePlan.DEFAULT)).containsOnlyKeys("r1");
        assertThat(health.tallies(Scope.owners(Set.of("r2")), MARCH, APRIL, IncentivePlan.DEFAULT)).isEmpty();
        assertThat(health.tallies(Scope.NOTHING, MARCH, APRIL, IncentivePlan.DEFAULT)).isEmpty();
        assertThat(health.evidence(Scope.owners(Set.of("r2")), "r1", HealthMetric.NEW_CUSTOMER_SHARE, null, MARCH,
                APRIL, IncentivePlan.DEFAULT, 0, 100)).isEmpty();
    }

    @Test
    void monthlyTalliesSplitTheSameFactsByCalendarMonth() {
        Map<LocalDate, HealthTally> months = health.monthlyTallies(R1, "r1", LocalDate.of(2025, 1, 1), APRIL,
                IncentivePlan.DEFAULT);
        assertThat(months).containsOnlyKeys(LocalDate.of(2025, 1, 1), MARCH);
        assertThat(months.get(LocalDate.of(2025, 1, 1)).contracts()).isEqualTo(1);
        assertThat(months.get(MARCH)).isEqualTo(health.tallies(R1, MARCH, APRIL, IncentivePlan.DEFAULT).get("r1"));
    }

    @Test
    void thePlanInForceIsTheActiveIncentiveRulesLatestVersion_andItChangesPastAnswers() {
        assertThat(health.currentPlan()).isEqualTo(HealthReadModel.PlanVersion.DEFAULT);
        log.publish("tag-vip", 1, Map.of("kind", "TAG", "tag", "vip"), "2025-04-01T00:00:00Z");
        log.publish("plan", 1, Map.of("kind", "INCENTIVE", "newCustomer", "FIRST_EFFECTIVE_CONTACT",
                "newCustomerWindow", "P9D", "keyActionTypes", List.of("ProposalSent", "TrialRequested")),
                "2025-04-02T00:00:00Z");

        HealthReadModel.PlanVersion v1 = health.currentPlan();
        assertThat(v1.ruleId()).isEqualTo("plan");
        assertThat(v1.version()).isEqualTo(1);
        // c1: first effective contact (its visit) Mar 2, K1 on Mar 10 (8 days: new); c3: visit Mar 4, K3 Mar 15
        // (11 days: not new); c2 never had one
        assertThat(evidence(HealthMetric.NEW_CUSTOMER_SHARE, null, v1.plan())).containsExactly("K1");
        assertThat(score(v1.plan()).metrics().get(HealthMetric.NEW_CUSTOMER_SHARE).value())
                .isEqualByComparingTo(new BigDecimal("0.3333333333333333333333333333333333"));

        log.publish("plan", 2, Map.of("kind", "INCENTIVE", "baseRate", "0.1",
                "targets", Map.of("taskClosureRate", Map.of("target", "0.3", "points", "3"))), "2025-04-03T00:00:00Z");
        HealthReadModel.PlanVersion v2 = health.currentPlan();
        assertThat(v2.version()).isEqualTo(2);
        HealthScore score = score(v2.plan());
        assertThat(score.metrics().get(HealthMetric.TASK_CLOSURE_RATE).met()).isTrue();
        // 5.7 + 3 = 8.7 points, CNY 10.2: 1200 × (0.1 + 0.102)
        assertThat(score.incentive().get(0).amount()).isEqualByComparingTo("242.4");

        log.retire("plan", 3, "2025-04-04T00:00:00Z");
        assertThat(health.currentPlan()).isEqualTo(HealthReadModel.PlanVersion.DEFAULT);
        log.retire("plan", 3, "2025-04-04T00:00:00Z"); // redelivered
        log.retire("tag-vip", 2, "2025-04-05T00:00:00Z");
        assertThat(db.fetchCount(db.selectFrom("health_plan"))).isEqualTo(3);
    }
}
