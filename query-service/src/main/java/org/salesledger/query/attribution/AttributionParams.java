package org.salesledger.query.attribution;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.salesledger.projections.attribution.AttributionModel;
import org.salesledger.projections.attribution.AttributionReadModel.Selection;
import org.salesledger.projections.attribution.Window;
import org.salesledger.projections.attribution.datadriven.DataDrivenModel;
import org.salesledger.projections.attribution.datadriven.MarkovAttribution;
import org.salesledger.query.api.QueryDates;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;

/** The request parameters the attribution queries share, read and checked; a bad one is refused by name. */
final class AttributionParams {

    /** The Markov chain's order when none is asked for. */
    static final int DEFAULT_ORDER = 1;

    private AttributionParams() {
    }

    /**
     * Every model {@code GET /api/v1/attribution} and {@code GET /api/v1/acquisition-cost} answer: the six rule-based
     * ones, then the data-driven ones.
     */
    static List<String> attributionModels() {
        List<String> names = new ArrayList<>(AttributionModel.codes());
        Arrays.stream(DataDrivenModel.values()).map(DataDrivenModel::modelName).forEach(names::add);
        return names;
    }

    /** A data-driven model, if {@code model} names one. */
    static Optional<DataDrivenModel> dataDriven(String model) {
        return model == null ? Optional.empty() : DataDrivenModel.named(model.trim());
    }

    /**
     * A rule-based model; a blank one is {@code fallback}. Called once {@link #dataDriven} has said {@code model}
     * names no data-driven model, so a refusal lists every model the endpoint answers.
     */
    static AttributionModel model(String model, String fallback) {
        String code = model == null || model.isBlank() ? fallback : model.trim();
        List<String> valid = attributionModels();
        if (code == null) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "model",
                    "model is required; models are " + String.join(", ", valid));
        }
        return AttributionModel.byCode(code).orElseThrow(() -> new QueryRefused(HttpStatus.BAD_REQUEST, "model",
                "model must be one of " + String.join(", ", valid) + "; got '" + code + "'"));
    }

    /** The Markov chain's order: a whole number from 1 to {@link MarkovAttribution#MAX_ORDER}, default 1. */
    static int order(String order) {
        if (order == null || order.isBlank()) {
            return DEFAULT_ORDER;
        }
        int value;
        try {
            value = Integer.parseInt(order.trim());
        } catch (NumberFormatException e) {
            value = 0;
        }
        if (value < 1 || value > MarkovAttribution.MAX_ORDER) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "order", "order (of the markov chain) must be a whole "
                    + "number from 1 to " + MarkovAttribution.MAX_ORDER + "; got '" + order + "'");
        }
        return value;
    }

    static Window window(String lookbackDays, String halfLifeDays) {
        int lookback = Window.DEFAULT_LOOKBACK_DAYS;
        if (lookbackDays != null && !lookbackDays.isBlank()) {
            try {
                lookback = Integer.parseInt(lookbackDays.trim());
            } catch (NumberFormatException e) {
                lookback = -1;
            }
            if (lookback < 0 || lookback > Window.MAX_LOOKBACK_DAYS) {
                throw new QueryRefused(HttpStatus.BAD_REQUEST, "lookbackDays", "lookbackDays must be a whole "
                        + "number of days from 0 to " + Window.MAX_LOOKBACK_DAYS + "; got '" + lookbackDays + "'");
            }
        }
        BigDecimal halfLife = Window.DEFAULT_HALF_LIFE_DAYS;
        if (halfLifeDays != null && !halfLifeDays.isBlank()) {
            try {
                halfLife = new BigDecimal(halfLifeDays.trim());
            } catch (NumberFormatException e) {
                halfLife = BigDecimal.ZERO;
            }
            if (halfLife.signum() <= 0 || halfLife.compareTo(Window.MAX_HALF_LIFE_DAYS) > 0) {
                throw new QueryRefused(HttpStatus.BAD_REQUEST, "halfLifeDays", "halfLifeDays must be a number of "
                        + "days above 0 and at most " + Window.MAX_HALF_LIFE_DAYS.toPlainString()
                        + " (e.g. 7 or 3.5); got '" + halfLifeDays + "'");
            }
        }
        return new Window(lookback, halfLife);
    }

    static Selection selection(String from, String to, String region, String team, String rep) {
        Instant start = time("from", from);
        Instant end = time("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "to",
                    "to must be after from (to is exclusive); got from=" + from + ", to=" + to);
        }
        return new Selection(start, end, blankToNull(region), blankToNull(team), blankToNull(rep));
    }

    /** A date (midnight UTC) or an RFC 3339 time with an offset, read as the other queries read them. */
    private static Instant time(String name, String value) {
        return QueryDates.time(name, value);
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
