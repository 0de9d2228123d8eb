package org.salesledger.projections.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jooq.CloseableDSLContext;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.health.HealthMetric;
import org.salesledger.projections.health.HealthOracleIT.Expected;
import org.salesledger.projections.health.HealthOracleIT.OracleCurrency;
import org.salesledger.projections.health.HealthOracleIT.OracleMetric;
import org.salesledger.projections.testing.Migrated;

/**
 * A rep's period read in two statements ({@link HealthReadModel#repPeriod}, what {@code GET /reps/{id}/health}
 * answers from) equals the independent computation of {@link HealthOracleIT} over the same random journeys: every
 * numerator and denominator, the revenue per currency, and the first evidence ids of each metric (oldest first), cut
 * at a few and not cut; a rep outside the scope gets nothing.
 */
class HealthRepPeriodIT {

    private static final List<String> REPS = List.of("r1", "r2", "r3", "r4");
    private static final List<LocalDate[]> PERIODS = List.of(
            new LocalDate[] {LocalDate.of(2025, 1, 1), LocalDate.of(2025, 2, 1)},
            new LocalDate[] {LocalDate.of(2025, 3, 1), LocalDate.of(2025, 4, 1)},
            new LocalDate[] {LocalDate.of(2025, 2, 10), LocalDate.of(2025, 3, 20)},
            new LocalDate[] {LocalDate.of(2024, 12, 1), LocalDate.of(2025, 7, 1)});

    @Migrated
    private static CloseableDSLContext db;

    @Test
    void aRepsPeriodInTwoStatementsEqualsTheIndependentComputation() throws Exception {
        HealthProjection projection = new HealthProjection(db, new HealthTables().healthTables());
        projection.reset();
        HealthLog log = new HealthLog(projection);
        log.batches(53);
        // HealthOracleIT's journeys, unchanged (it is kept as it is; its generator is private there)
        Method journeys = HealthOracleIT.class.getDeclaredMethod("journeys", Random.class, String.class,
                HealthLog.class, boolean.class);
        journeys.setAccessible(true);
        journeys.invoke(null, new Random(91), "p", log, true);
        log.flush();
        HealthReadModel health = new HealthQueries(db);
        check(health, log, HealthOracleIT.CONTRACT, "default plan");

        log.publish("incentive-p", 1, HealthOracleIT.PUBLISHED_BODY, "2025-06-01T00:00:00Z");
        check(health, log, HealthOracleIT.PUBLISHED, "published plan");
    }

    private static void check(HealthReadModel health, HealthLog log, HealthOracleIT.Plan plan, String as) {
        HealthOracleIT.Oracle oracle = new HealthOracleIT.Oracle(log.stored());
        var productionPlan = health.currentPlan().plan();
        int evidenceSeen = 0;
        for (LocalDate[] period : PERIODS) {
            for (String rep : REPS) {
                String at = as + ", " + rep + " " + period[0] + ".." + period[1];
                Expected e = oracle.expected(rep, period[0], period[1], plan);
                for (int shown : new int[] {3, 100_000}) {
                    HealthReadModel.RepPeriod p = health.repPeriod(Scope.ALL, rep, period[0], period[1],
                            productionPlan, shown);
                    HealthScore score = HealthScore.of(p.tally(), productionPlan);
                    for (HealthMetric metric : HealthMetric.values()) {
                        if (metric.perCurrency()) {
                            continue;
                        }
                        OracleMetric o = e.metrics().get(metric.code());
                        HealthScore.Metric m = score.metrics().get(metric);
                        assertThat(m.numerator()).as(at + " " + metric.code() + " numerator")
                                .isEqualByComparingTo(BigDecimal.valueOf(o.evidence().size()));
                        assertThat(m.denominator()).as(at + " " + metric.code() + " denominator")
                                .isEqualByComparingTo(BigDecimal.valueOf(o.denominator()));
                        assertThat(p.evidence().get(metric)).as(at + " " + metric.code() + " first " + shown)
                                .isEqualTo(first(o.evidence(), shown));
                        evidenceSeen += o.evidence().size();
                    }
                    assertThat(p.highMarginEvidence().keySet()).as(at + " highMarginShare currencies")
                            .containsExactlyInAnyOrderElementsOf(p.tally().currencies().keySet());
                    assertThat(score.highMargin()).extracting(HealthScore.CurrencyMetric::currency)
                            .as(at + " currencies with lines").containsExactlyElementsOf(e.highMargin().keySet());
                    for (Map.Entry<String, OracleCurrency> c : e.highMargin().entrySet()) {
                        HealthScore.CurrencyMetric m = score.highMargin().stream()
                                .filter(x -> x.currency().equals(c.getKey())).findFirst().orElseThrow();
                        assertThat(m.numerator()).as(at + " high " + c.getKey()).isEqualByComparingTo(
                                c.getValue().high());
                        assertThat(m.denominator()).as(at + " total " + c.getKey()).isEqualByComparingTo(
                                c.getValue().total());
                        assertThat(p.highMarginEvidence().get(c.getKey())).as(at + " high evidence " + c.getKey())
                                .isEqualTo(first(c.getValue().evidence(), shown));
                    }
                    assertThat(score.incentive()).extracting(HealthScore.Incentive::currency)
                            .as(at + " incentive currencies").containsExactlyElementsOf(e.amounts().keySet());
                    for (HealthScore.Incentive i : score.incentive()) {
                        assertThat(i.revenue()).as(at + " revenue " + i.currency())
                                .isEqualByComparingTo(e.revenue().get(i.currency()));
                        assertThat(i.amount()).as(at + " amount " + i.currency())
                                .isEqualByComparingTo(e.amounts().get(i.currency()));
                    }
                }
            }
        }
        assertThat(evidenceSeen).as(as + ": the journeys give evidence to list").isGreaterThan(3 * REPS.size());
        HealthReadModel.RepPeriod outside = health.repPeriod(new Scope.Owners(java.util.Set.of("r2")), "r1",
                PERIODS.get(3)[0], PERIODS.get(3)[1], productionPlan, 100);
        assertThat(outside.tally()).as("a rep outside the scope").isEqualTo(HealthTally.NONE);
        assertThat(outside.evidence().values()).allSatisfy(ids -> assertThat(ids).isEmpty());
        assertThat(outside.highMarginEvidence()).isEmpty();
    }

    private static List<String> first(List<String> ids, int n) {
        return ids.subList(0, Math.min(n, ids.size()));
    }
}
