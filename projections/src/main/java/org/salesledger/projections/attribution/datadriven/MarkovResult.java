package org.salesledger.projections.attribution.datadriven;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Markov model's answer: the credits, and what they were computed from.
 *
 * @param attribution             per channel, conversions and per-currency conversions and revenue credited
 * @param order                   the model's order (states are runs of up to this many channels)
 * @param conversionProbability   the chain's probability of reaching {@code (conversion)} from {@code (start)};
 *                                times the number of journeys it equals the conversions (flow conservation)
 * @param removalEffects          per channel, {@code 1 − P(conversion without the channel) / P(conversion)}, as
 *                                ChannelAttribution's {@code removal_effects_conversion}
 * @param revenueRemovalEffects   per currency, per channel, the same for the expected revenue in that currency, as
 *                                ChannelAttribution's {@code removal_effects_conversion_value}
 * @param transitions             the estimated transition probabilities between states, {@code (start)} first,
 *                                then by state name; an order-k state is named by its channels joined with
 *                                {@code ","}
 * @param states                  the number of transient (channel) states
 * @param maxRelativeResidual     the largest residual of all linear solves, relative to the solution's size: the
 *                                solver's own accuracy check
 */
public record MarkovResult(Attribution attribution, int order, double conversionProbability,
                           Map<String, Double> removalEffects, Map<String, Map<String, Double>> revenueRemovalEffects,
                           List<Transition> transitions, int states, double maxRelativeResidual) {

    /** One estimated transition probability. */
    public record Transition(String from, String to, double probability) {
    }

    public MarkovResult {
        removalEffects = Collections.unmodifiableMap(new TreeMap<>(removalEffects));
        TreeMap<String, Map<String, Double>> revenue = new TreeMap<>();
        revenueRemovalEffects.forEach((currency, effects) ->
                revenue.put(currency, Collections.unmodifiableMap(new TreeMap<>(effects))));
        revenueRemovalEffects = Collections.unmodifiableMap(revenue);
        transitions = List.copyOf(transitions);
    }

    /** The removal effect of {@code channel} on conversions; zero for a channel on no journey. */
    public double removalEffect(String channel) {
        return removalEffects.getOrDefault(channel, 0.0);
    }
}
