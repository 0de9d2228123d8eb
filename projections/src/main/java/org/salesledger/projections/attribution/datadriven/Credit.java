package org.salesledger.projections.attribution.datadriven;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a model credits to one channel: a share of the conversions and, per currency, a share of the conversions in
 * that currency and of their revenue. Shares are kept unrounded ({@code double} for counts, {@code BigDecimal} for
 * money) until the response.
 *
 * @param channel      the channel
 * @param conversions  conversions credited to it over all currencies
 * @param byCurrency   per currency code, the conversions and revenue credited to it
 */
public record Credit(String channel, double conversions, Map<String, CurrencyCredit> byCurrency) {

    /**
     * Conversions and revenue of one currency credited to a channel.
     *
     * @param conversions conversions in this currency credited to the channel
     * @param revenue     revenue in this currency credited to the channel; over all channels these add up to the
     *                    currency's total exactly
     */
    public record CurrencyCredit(double conversions, BigDecimal revenue) {
    }

    public Credit {
        byCurrency = Collections.unmodifiableMap(new TreeMap<>(byCurrency));
    }

    /** This channel's credit in {@code currency}; zero if the currency is not credited to it. */
    public CurrencyCredit in(String currency) {
        return byCurrency.getOrDefault(currency, new CurrencyCredit(0.0, BigDecimal.ZERO));
    }
}
