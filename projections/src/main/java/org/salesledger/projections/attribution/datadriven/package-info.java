/**
 * Data-driven attribution (issue 5, item 2): the {@code markov}, {@code shapley} and {@code shapley_simplified}
 * models as a pure library — no Spring, no database, no I/O, no clock, only the JDK. Every call is a stateless
 * function of its input, safe to call from several threads, and deterministic: the same journeys in any order
 * (or summed differently per path) give the same result, to the bit.
 *
 * <h2>Input</h2>
 * A list of {@link org.salesledger.projections.attribution.datadriven.Journey}s: a path of channels in time order
 * with how many journeys took it and converted, how many took it and did not, and per currency the conversions and
 * revenue. One journey per customer works; one per distinct path with summed counts (a {@code GROUP BY} in the read
 * model) is the same result and much less work for a million journeys.
 *
 * <h2>Calls</h2>
 * <pre>
 * MarkovResult markov    = MarkovAttribution.attribute(journeys, order);   // order 1..3
 * Attribution  shapley   = ShapleyAttribution.attribute(journeys);
 * Attribution  simple    = ShapleyAttribution.simplified(journeys);
 * Attribution  byName    = DataDrivenModel.named("markov").orElseThrow().attribute(journeys, order);
 * </pre>
 * An {@link org.salesledger.projections.attribution.datadriven.Attribution} has one
 * {@link org.salesledger.projections.attribution.datadriven.Credit} per channel found on a journey (name order):
 * conversions credited, and per currency the conversions and revenue credited. A {@code MarkovResult} adds the
 * removal effects, the chain's conversion probability and transition probabilities, and the solver's residual.
 * {@link org.salesledger.projections.attribution.datadriven.ShapleyValues} computes Shapley values of any
 * characteristic function, exactly (up to 20 players) or by seeded permutation sampling with standard errors.
 *
 * <h2>Models</h2>
 * <ul>
 *   <li>{@code markov} — {@link org.salesledger.projections.attribution.datadriven.MarkovAttribution}: the removal
 *   effect of Anderl et al. (2016) on ChannelAttribution's chain (repeats collapsed, order-k sliding windows,
 *   non-converting journeys ending in {@code (null)}), solved exactly; revenue as ChannelAttribution's
 *   {@code var_value}, per currency.
 *   <li>{@code shapley} — {@link org.salesledger.projections.attribution.datadriven.ShapleyAttribution#attribute}:
 *   {@code v(S)} = conversion rate of the journeys whose channel set is exactly {@code S} ({@code 0} if none,
 *   {@code v(∅) = 0}); each channel set's conversions and revenue are shared by the Shapley values of the game on
 *   its channels; exact at any number of channels.
 *   <li>{@code shapley_simplified} —
 *   {@link org.salesledger.projections.attribution.datadriven.ShapleyAttribution#simplified}: Zhao et al. (2018),
 *   each conversion split equally among the distinct channels of its journey.
 * </ul>
 *
 * <h2>Precision</h2>
 * Conversions are {@code double}s: removal effects and Shapley values are exact up to rounding (the Markov solver's
 * relative residual is reported and stays below {@code 1e-13} on the test data) and the credits add up to the
 * conversions to about {@code 1e-12} relative. Revenue is {@code BigDecimal}: each channel's share is computed in
 * {@code double} (about {@code 1e-12} relative), rounded half-even to {@code max(12, the amounts' scale)} decimals,
 * and the rounding remainder goes to the largest credit, so a currency's credits add up to its revenue exactly.
 * Currencies are never added together. Shapley credits can be negative (a channel whose presence lowers the
 * conversion rate); Markov credits never are.
 *
 * <p>Why these definitions and how they are solved: {@code docs/adr/0009-data-driven-attribution.md}.
 */
package org.salesledger.projections.attribution.datadriven;
