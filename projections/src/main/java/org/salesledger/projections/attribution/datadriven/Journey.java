package org.salesledger.projections.attribution.datadriven;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One path of touches and what it led to, aggregated: how many journeys took exactly this path and converted
 * ({@code conversions}), how many took it and did not ({@code nonConversions}), and, per currency, how many of
 * the conversions were in that currency and their summed amount.
 *
 * <p>{@code channels} is the path in time order, repeats included (the models decide what repeats mean). Several
 * journeys with the same path may be given separately or summed into one: the result is the same. A journey with
 * neither conversions nor non-conversions stands for nobody and is ignored (its channels are not listed).
 *
 * @param channels        the touches' channels in order; at least one, none blank or reserved
 * @param conversions     converting journeys on this path, {@code >= 0}
 * @param nonConversions  journeys on this path that did not convert, {@code >= 0}
 * @param revenueByCurrency per ISO currency code, the conversions in that currency and their amount; the
 *                        conversions over all currencies may be fewer than {@code conversions} (a conversion
 *                        without an amount), never more
 */
public record Journey(List<String> channels, long conversions, long nonConversions,
                      Map<String, Revenue> revenueByCurrency) {

    /** Names the Markov model uses for its own states; no channel may be called so. */
    public static final List<String> RESERVED_NAMES = List.of("(start)", "(conversion)", "(null)");

    /**
     * Conversions in one currency and their summed amount.
     *
     * @param conversions how many conversions were in this currency, {@code >= 1}
     * @param amount      their summed amount, {@code >= 0}
     */
    public record Revenue(long conversions, BigDecimal amount) {
        public Revenue {
            if (conversions < 1) {
                throw new IllegalArgumentException("revenue.conversions must be at least 1, was " + conversions);
            }
            if (amount == null) {
                throw new IllegalArgumentException("revenue.amount is required");
            }
            if (amount.signum() < 0) {
                throw new IllegalArgumentException("revenue.amount must not be negative, was " + amount);
            }
        }

        Revenue plus(Revenue other) {
            return new Revenue(Math.addExact(conversions, other.conversions), amount.add(other.amount));
        }
    }

    public Journey {
        if (channels == null || channels.isEmpty()) {
            throw new IllegalArgumentException(
                    "channels must name at least one channel (a conversion without touches is credited to a channel"
                            + " such as (none))");
        }
        channels = List.copyOf(channels);
        for (String channel : channels) {
            if (channel.isBlank()) {
                throw new IllegalArgumentException("channels must not contain a blank channel name");
            }
            if (RESERVED_NAMES.contains(channel)) {
                throw new IllegalArgumentException("channel name " + channel + " is reserved by the Markov model");
            }
        }
        if (conversions < 0) {
            throw new IllegalArgumentException("conversions must not be negative, was " + conversions);
        }
        if (nonConversions < 0) {
            throw new IllegalArgumentException("nonConversions must not be negative, was " + nonConversions);
        }
        revenueByCurrency = revenueByCurrency == null ? Map.of() : revenueByCurrency;
        long inCurrencies = 0;
        for (Map.Entry<String, Revenue> entry : revenueByCurrency.entrySet()) {
            if (entry.getKey() == null || entry.getKey().isBlank()) {
                throw new IllegalArgumentException("revenueByCurrency must not have a blank currency code");
            }
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("revenueByCurrency." + entry.getKey() + " is required");
            }
            inCurrencies = Math.addExact(inCurrencies, entry.getValue().conversions());
        }
        if (inCurrencies > conversions) {
            throw new IllegalArgumentException("revenueByCurrency counts " + inCurrencies
                    + " conversions but the journey has only " + conversions);
        }
        revenueByCurrency = Collections.unmodifiableMap(new TreeMap<>(revenueByCurrency));
    }

    /** A path with its conversion counts and no revenue. */
    public Journey(List<String> channels, long conversions, long nonConversions) {
        this(channels, conversions, nonConversions, Map.of());
    }
}
