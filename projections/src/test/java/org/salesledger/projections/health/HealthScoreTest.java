package org.salesledger.projections.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.health.HealthMetric;
import org.salesledger.kernel.health.IncentivePlan;
import org.salesledger.projections.health.HealthTally.CurrencyTally;

/** Scoring a tally against a plan (contract §8), worked by hand: targets, nulls, per-currency points, exact sums. */
class HealthScoreTest {

    private static CurrencyTally currency(long contracts, String revenue, long withLines, String lines, String high,
                                          long highContracts) {
        return new CurrencyTally(contracts, new BigDecimal(revenue), withLines, new BigDecimal(lines),
                new BigDecimal(high), highContracts);
    }

    @Test
    void newCustomerShareMustExceedItsTarget_theOthersMustReachIt() {
        // 7 of 20 = 0.35 exactly: not > 0.35; 16 of 20 signals followed = 0.80: ≥ 0.80
        HealthTally tally = new HealthTally(20, 7, 0, 20, 16, 0, 0, 0, 0, Map.of());
        HealthScore score = HealthScore.of(tally, IncentivePlan.DEFAULT);
        assertThat(score.metrics().get(HealthMetric.NEW_CUSTOMER_SHARE).met()).isFalse();
        assertThat(score.metrics().get(HealthMetric.FOLLOW_UP_TIMELINESS).met()).isTrue();
        assertThat(score.metrics().get(HealthMetric.FOLLOW_UP_TIMELINESS).points()).isEqualByComparingTo("1.2");
    }

    @Test
    void aDenominatorOfZeroIsANullValueNeverMet() {
        HealthScore score = HealthScore.of(HealthTally.NONE, IncentivePlan.DEFAULT);
        assertThat(score.metrics().values()).allSatisfy(m -> {
            assertThat(m.value()).isNull();
            assertThat(m.met()).isFalse();
            assertThat(m.points()).isZero();
        });
        assertThat(score.highMargin()).isEmpty();
        assertThat(score.incentive()).isEmpty();
        assertThat(score.score()).isZero();
    }

    @Test
    void theHighMarginPointsCountOnlyInTheCurrencyWhereTheShareIsMet_andTheScoreCountsThemOnce() {
        // 2 cross-department contracts of 3: met, 1.2 points in every currency
        HealthTally tally = new HealthTally(3, 0, 2, 0, 0, 0, 0, 0, 0, Map.of(
                "CNY", currency(1, "1000.10", 1, "1000", "400", 1),     // 0.4: met
                "EUR", currency(1, "333.33", 1, "300", "119.99", 1),    // 0.39996…: not met
                "USD", currency(1, "10", 0, "0", "0", 0)));              // no lines: no share
        HealthScore score = HealthScore.of(tally, IncentivePlan.DEFAULT);

        assertThat(score.highMargin()).extracting(HealthScore.CurrencyMetric::currency).containsExactly("CNY", "EUR");
        assertThat(score.highMargin().get(1).value()).isEqualByComparingTo("0.3999666666666666666666666666666667");
        assertThat(score.incentive()).extracting(i -> i.currency() + " " + i.bonusPoints().stripTrailingZeros()
                        .toPlainString() + " " + i.amount().stripTrailingZeros().toPlainString())
                .containsExactly("CNY 2.7 77.0077", "EUR 1.2 20.66646", "USD 1.2 0.62");
        assertThat(score.score()).isEqualByComparingTo("2.7");
    }

    @Test
    void lineAmountsThatAddUpToZeroGiveNoValue() {
        HealthTally tally = new HealthTally(1, 0, 0, 0, 0, 0, 0, 0, 0,
                Map.of("CNY", currency(1, "5", 1, "0", "0", 1)));
        HealthScore.CurrencyMetric cny = HealthScore.of(tally, IncentivePlan.DEFAULT).highMargin().get(0);
        assertThat(cny.value()).isNull();
        assertThat(cny.met()).isFalse();
    }
}
