package org.salesledger.projections.health;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one rep's (or a group's) health metrics are made of over a period, counted with one incentive plan's
 * definitions: the numerator and denominator of each metric, and per currency the revenue and the contract lines'
 * amounts. Tallies of several reps add up ({@link #plus}): a group's metric pools its reps' numerators and
 * denominators.
 */
public record HealthTally(long contracts, long newContracts, long crossDepartmentContracts, long signals,
                          long signalsFollowed, long keyActions, long keyActionsObserved, long visits,
                          long visitsClosed, Map<String, CurrencyTally> currencies) {

    /** One currency's contracts: revenue, and over those with lines, the high-margin and total line amounts. */
    public record CurrencyTally(long contracts, BigDecimal revenue, long contractsWithLines, BigDecimal lineAmount,
                                BigDecimal highMarginAmount, long highMarginContracts) {

        public static final CurrencyTally NONE = new CurrencyTally(0, BigDecimal.ZERO, 0, BigDecimal.ZERO,
                BigDecimal.ZERO, 0);

        public CurrencyTally plus(CurrencyTally other) {
            return new CurrencyTally(contracts + other.contracts, revenue.add(other.revenue),
                    contractsWithLines + other.contractsWithLines, lineAmount.add(other.lineAmount),
                    highMarginAmount.add(other.highMarginAmount), highMarginContracts + other.highMarginContracts);
        }
    }

    public static final HealthTally NONE = new HealthTally(0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());

    public HealthTally {
        currencies = java.util.Collections.unmodifiableMap(new TreeMap<>(currencies));
    }

    public HealthTally plus(HealthTally other) {
        Map<String, CurrencyTally> sum = new TreeMap<>(currencies);
        other.currencies.forEach((currency, tally) -> sum.merge(currency, tally, CurrencyTally::plus));
        return new HealthTally(contracts + other.contracts, newContracts + other.newContracts,
                crossDepartmentContracts + other.crossDepartmentContracts, signals + other.signals,
                signalsFollowed + other.signalsFollowed, keyActions + other.keyActions,
                keyActionsObserved + other.keyActionsObserved, visits + other.visits, visitsClosed + other.visitsClosed,
                sum);
    }
}
