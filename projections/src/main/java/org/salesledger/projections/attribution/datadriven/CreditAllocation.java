package org.salesledger.projections.attribution.datadriven;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns per-channel weights into credits that add up to the totals.
 *
 * <p>For each measure (conversions, and per currency its conversions and revenue) a channel's credit is
 * {@code total × weight / Σ weights}. Counts stay {@code double}s. Revenue is distributed exactly: each channel's
 * share is rounded half-even to {@link #scale(BigDecimal) max(12, scale of the total)} decimals and the rounding
 * remainder (a few units of the last decimal) goes to the channel with the largest credit (the first in name order
 * on a tie), so the credits of a currency add up to its total to the last digit.
 */
final class CreditAllocation {

    /** Decimals kept in revenue credits, unless the amounts themselves have more. */
    static final int MIN_REVENUE_SCALE = 12;

    private CreditAllocation() {
    }

    /** {@code weights[measure][channel]}, measures numbered as in {@link JourneyTable}. */
    static Attribution attribution(JourneyTable table, double[][] weights) {
        int channels = table.channels.size();
        double[] conversions = shares(table.total(0), weights[0]);
        List<double[]> currencyConversions = new ArrayList<>();
        List<BigDecimal[]> currencyRevenue = new ArrayList<>();
        for (int c = 0; c < table.currencies.size(); c++) {
            currencyConversions.add(shares(table.total(1 + 2 * c), weights[1 + 2 * c]));
            currencyRevenue.add(allocate(table.currencyRevenue[c], weights[2 + 2 * c]));
        }
        List<Credit> credits = new ArrayList<>(channels);
        for (int j = 0; j < channels; j++) {
            Map<String, Credit.CurrencyCredit> byCurrency = new TreeMap<>();
            for (int c = 0; c < table.currencies.size(); c++) {
                byCurrency.put(table.currencies.get(c),
                        new Credit.CurrencyCredit(currencyConversions.get(c)[j], currencyRevenue.get(c)[j]));
            }
            credits.add(new Credit(table.channels.get(j), conversions[j], byCurrency));
        }
        Map<String, Journey.Revenue> totals = new TreeMap<>();
        for (int c = 0; c < table.currencies.size(); c++) {
            totals.put(table.currencies.get(c),
                    new Journey.Revenue(table.currencyConversions[c], table.currencyRevenue[c]));
        }
        return new Attribution(credits, table.totalConversions, totals);
    }

    static double[] shares(double total, double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double[] shares = new double[weights.length];
        if (sum == 0) {
            return shares;
        }
        for (int j = 0; j < weights.length; j++) {
            shares[j] = total * (weights[j] / sum);
        }
        return shares;
    }

    static int scale(BigDecimal total) {
        return Math.max(MIN_REVENUE_SCALE, total.scale());
    }

    /** {@code total} split in proportion to {@code weights}, adding up to {@code total} exactly. */
    static BigDecimal[] allocate(BigDecimal total, double[] weights) {
        int scale = scale(total);
        BigDecimal[] credits = new BigDecimal[weights.length];
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        if (sum == 0) {
            if (total.signum() != 0) {
                throw new IllegalStateException("revenue of " + total + " has no channel to go to");
            }
            java.util.Arrays.fill(credits, BigDecimal.ZERO.setScale(scale));
            return credits;
        }
        BigDecimal allocated = BigDecimal.ZERO;
        int largest = 0;
        for (int j = 0; j < weights.length; j++) {
            credits[j] = total.multiply(new BigDecimal(weights[j] / sum)).setScale(scale, RoundingMode.HALF_EVEN);
            allocated = allocated.add(credits[j]);
            if (credits[j].compareTo(credits[largest]) > 0) {
                largest = j;
            }
        }
        credits[largest] = credits[largest].add(total.setScale(scale).subtract(allocated));
        return credits;
    }
}
