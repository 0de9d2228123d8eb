package org.salesledger.projections.attribution.datadriven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Checks every model's answer must pass. */
final class Invariants {

    private Invariants() {
    }

    /**
     * The credits distribute exactly what the journeys hold: conversions (to 1e-9 relative), per currency its
     * conversions (same) and its revenue (exactly, to the last digit).
     */
    static void assertCreditsAddUpToTotals(Attribution attribution, List<Journey> journeys) {
        long conversions = journeys.stream().mapToLong(Journey::conversions).sum();
        Map<String, Long> currencyConversions = new TreeMap<>();
        Map<String, BigDecimal> currencyRevenue = new TreeMap<>();
        for (Journey journey : journeys) {
            journey.revenueByCurrency().forEach((currency, revenue) -> {
                currencyConversions.merge(currency, revenue.conversions(), Long::sum);
                currencyRevenue.merge(currency, revenue.amount(), BigDecimal::add);
            });
        }
        assertThat(attribution.totalConversions()).isEqualTo(conversions);
        assertThat(attribution.credits().stream().mapToDouble(Credit::conversions).sum())
                .isCloseTo(conversions, within(1e-9 * Math.max(1, conversions)));
        assertThat(attribution.totalRevenueByCurrency()).containsOnlyKeys(currencyRevenue.keySet());
        currencyRevenue.forEach((currency, revenue) -> {
            assertThat(attribution.totalRevenueByCurrency().get(currency).amount()).isEqualByComparingTo(revenue);
            BigDecimal credited = attribution.credits().stream()
                    .map(credit -> credit.in(currency).revenue())
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(credited).as("revenue credited in %s", currency).isEqualByComparingTo(revenue);
            double countCredited = attribution.credits().stream()
                    .mapToDouble(credit -> credit.in(currency).conversions()).sum();
            long count = currencyConversions.get(currency);
            assertThat(countCredited).as("conversions credited in %s", currency)
                    .isCloseTo(count, within(1e-9 * Math.max(1, count)));
        });
    }

    /** Two answers credit the same channels the same, to {@code tolerance} (revenue relative to the total). */
    static void assertSameCredits(Attribution actual, Attribution expected, double tolerance) {
        assertThat(actual.channels()).isEqualTo(expected.channels());
        assertThat(actual.totalConversions()).isEqualTo(expected.totalConversions());
        for (Credit credit : expected.credits()) {
            Credit other = actual.credit(credit.channel());
            assertThat(other.conversions()).as("conversions of %s", credit.channel())
                    .isCloseTo(credit.conversions(), within(tolerance * Math.max(1, expected.totalConversions())));
            credit.byCurrency().forEach((currency, value) -> {
                double total = expected.totalRevenueByCurrency().get(currency).amount().doubleValue();
                assertThat(other.in(currency).revenue().doubleValue()).as("%s revenue of %s", currency,
                        credit.channel()).isCloseTo(value.revenue().doubleValue(),
                        within(tolerance * Math.max(1, total)));
            });
        }
    }
}
