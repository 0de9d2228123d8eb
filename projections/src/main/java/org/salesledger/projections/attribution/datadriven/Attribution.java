package org.salesledger.projections.attribution.datadriven;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The credits of one model run: one {@link Credit} per channel found in the journeys, in channel-name order,
 * and the totals they distribute.
 *
 * <p>Invariants (tested for every model): the credits' conversions add up to {@code totalConversions} (as doubles,
 * to about 1e-12 relative); per currency, the credited conversions add up to that currency's conversions (same
 * precision) and the credited revenue adds up to its revenue <em>exactly</em>.
 *
 * @param credits                 per channel, sorted by channel name
 * @param totalConversions        conversions of all journeys
 * @param totalRevenueByCurrency  per currency, the conversions in it and their revenue, over all journeys
 */
public record Attribution(List<Credit> credits, long totalConversions,
                          Map<String, Journey.Revenue> totalRevenueByCurrency) {

    public Attribution {
        credits = List.copyOf(credits);
        totalRevenueByCurrency = Collections.unmodifiableMap(new TreeMap<>(totalRevenueByCurrency));
    }

    /** The credit of {@code channel}; a channel on no journey gets an empty credit (nothing). */
    public Credit credit(String channel) {
        for (Credit credit : credits) {
            if (credit.channel().equals(channel)) {
                return credit;
            }
        }
        return new Credit(channel, 0.0, Map.of());
    }

    /** The channels credited, in name order. */
    public List<String> channels() {
        return credits.stream().map(Credit::channel).toList();
    }
}
