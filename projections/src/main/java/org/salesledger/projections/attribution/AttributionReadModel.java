package org.salesledger.projections.attribution;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.salesledger.kernel.access.Scope;
import org.salesledger.projections.attribution.datadriven.DataDrivenModel;
import org.salesledger.projections.attribution.datadriven.Journey.Revenue;

/**
 * The attribution read model as the query side reads it (ADR 0014). Every figure is exact; nothing is rounded.
 * Every query takes the caller's {@link Scope} first and counts only the customers it covers: a
 * {@link Scope.Region} as the {@code region} filter (registration region), {@link Scope.Owners} as the {@code rep}
 * filter widened to a set of reps (current owner); with the selection's own filters the conditions intersect.
 */
public interface AttributionReadModel {

    /**
     * Contract §2: the conversions selected (by time, and by their customer's registration data) split over their
     * touches by {@code model} under {@code window}; each channel's credited conversions and revenue per currency,
     * in channel then currency order.
     */
    Attribution attribution(Scope scope, AttributionModel model, Window window, Selection selection);

    /**
     * Cost, customers won, CAC, attributed revenue and ROI per channel and period. Answered over every customer
     * only: costs are recorded per channel, most of them belonging to no customer, so a report over part of the
     * customers would set their revenue and wins against costs it cannot split; any other scope is refused.
     *
     * @throws IllegalArgumentException for a scope other than {@link Scope#ALL}
     */
    AcquisitionCost acquisitionCost(Scope scope, AttributionModel model, Window window, Period period,
                                    Selection selection, String currency);

    /**
     * The same with the revenue attributed by a data-driven model: each period's attributed revenue is the
     * model's revenue credit over that period's {@link #journeys journeys} ({@link #dataDriven} for the selection
     * narrowed to the period), so it counts the conversions of customers whose first conversion falls in the
     * period; a note counts the conversions this leaves out (later contracts of customers won earlier).
     *
     * @param order the Markov chain's order, 1 to 3; ignored by the Shapley models
     * @throws IllegalArgumentException for a scope other than {@link Scope#ALL}, as above
     */
    AcquisitionCost acquisitionCost(Scope scope, DataDrivenModel model, int order, int lookbackDays, Period period,
                                    Selection selection, String currency);

    /**
     * The journeys the data-driven models need, one per customer, in customer id order (ADR 0014):
     * <ul>
     *   <li>a customer <em>converted</em> when its first conversion (by time) falls in the selection; its path is
     *       the channels of its touches within {@code lookbackDays} before that first conversion (at or before
     *       it), in order; {@code conversions} and {@code value} count all its conversions in the selection;</li>
     *   <li>a customer that had not converted by the selection's end (none, or its first conversion at or after
     *       {@code to}) is a non-converting journey: its path is all its touches before {@code to};</li>
     *   <li>a customer whose first conversion came before {@code from} is not a journey of this selection.</li>
     * </ul>
     * The region, team and rep filters and the scope select customers. A path may be empty (no touch in the window).
     */
    void journeys(Scope scope, int lookbackDays, Selection selection, Consumer<Journey> sink);

    /**
     * A data-driven model ({@code markov}, {@code shapley}, {@code shapley_simplified}; ADR 0009) run over the
     * {@link #journeys journeys} of the selection, summed per distinct path first: a journey without a touch in
     * the window has the path {@code (none)}, like a rule-based conversion without a touch. Each channel's
     * credited conversions and revenue per currency, in channel then currency order, as the rule-based answer
     * gives them; a channel and currency credited nothing at all is left out, a negative Shapley credit is kept.
     *
     * @param order the Markov chain's order, 1 to 3; ignored by the Shapley models
     */
    DataDrivenAttribution dataDriven(Scope scope, DataDrivenModel model, int order, int lookbackDays,
                                     Selection selection);

    /** The definition the read model was built with ({@code null} while it is empty) and the one configured now. */
    @org.salesledger.kernel.access.Unscoped("the touch types and windows the read model was built with: no customer")
    Definitions definitions();

    /**
     * What is asked about: conversions with {@code from <= time < to} (either open), of customers whose
     * registration data matches the filters ({@code null} means any; {@code rep} is the current owner).
     */
    record Selection(Instant from, Instant to, String region, String team, String rep) {
        public static final Selection ALL = new Selection(null, null, null, null, null);
    }

    record Attribution(AttributionModel model, Window window, List<ChannelCredit> channels, List<String> notes) {
    }

    /** A channel's credit in one currency: the sums of its touches' shares of conversions and of revenue. */
    record ChannelCredit(String channel, String currency, BigDecimal conversions, BigDecimal revenue) {
    }

    /** A period of the acquisition-cost report, in UTC. */
    enum Period { MONTH, QUARTER, YEAR }

    /** {@code model}: the model's name in the API, rule-based or data-driven. */
    record AcquisitionCost(String model, Window window, Period period, List<ChannelPeriod> channels,
                           List<String> notes) {
    }

    /**
     * One channel in one period: customers won (first contract in the period, credited to the registration
     * channel) and, per currency, the figures that involve money.
     */
    record ChannelPeriod(String channel, String period, LocalDate start, LocalDate end, long customersWon,
                         List<CurrencyFigures> currencies) {
    }

    /**
     * Money of one currency: cost (also per category), cost per customer won (CAC, {@code null} when nobody was
     * won), the revenue credited to the channel by the model, and ROI = (revenue − cost) / cost ({@code null}
     * when there was no cost). The notes say why a figure is {@code null}.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record CurrencyFigures(String currency, BigDecimal cost, Map<String, BigDecimal> costByCategory, BigDecimal cac,
                           BigDecimal attributedRevenue, BigDecimal roi, List<String> notes) {
    }

    /**
     * A data-driven model's answer. {@code conversions} of a {@link ChannelCredit} are computed in {@code double}
     * and given to {@link #CONVERSION_DIGITS} significant digits; {@code revenue} is the library's, whose credits
     * add up to each currency's revenue exactly.
     */
    record DataDrivenAttribution(DataDrivenModel model, int order, int lookbackDays, List<ChannelCredit> channels,
                                 List<String> notes) {
        public static final int CONVERSION_DIGITS = 12;
    }

    /**
     * One journey for the data-driven models; {@code value} is, per currency, how many of its conversions were in
     * that currency and their summed amount.
     */
    record Journey(String customerId, List<String> path, boolean converted, int conversions,
                   Map<String, Revenue> value) {
    }

    record Definitions(AttributionDefinition builtWith, AttributionDefinition configured) {

        /** The definition the tables hold: what they were built with, or — while empty — the configured one. */
        public AttributionDefinition effective() {
            return builtWith == null ? configured : builtWith;
        }

        public boolean stale() {
            return builtWith != null && !builtWith.equals(configured);
        }
    }
}
