package org.salesledger.projections.attribution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.salesledger.projections.attribution.AttributionReadModel.Journey;
import org.salesledger.projections.attribution.datadriven.Journey.Revenue;

/**
 * The read model's journeys summed per distinct path, as the data-driven library takes them — in Java from the
 * streamed journeys, or ({@code AttributionQueries.paths}) by PostgreSQL, which must give the same (one
 * {@link org.salesledger.projections.attribution.datadriven.Journey} per path with its counts; the same result as
 * one per customer, with far fewer objects). A path without a touch in the window is {@code (none)}, the channel
 * contract §2 gives a conversion without a touch.
 */
final class PathTotals {

    /** The channel of a journey without a touch in its window (contract §2). */
    static final String NONE = "(none)";

    private final Map<List<String>, Totals> byPath = new HashMap<>();

    void add(Journey journey) {
        List<String> path = journey.path().isEmpty() ? List.of(NONE) : journey.path();
        Totals totals = byPath.computeIfAbsent(path, k -> new Totals());
        if (!journey.converted()) {
            totals.nonConversions++;
            return;
        }
        totals.conversions += journey.conversions();
        journey.value().forEach((currency, revenue) -> totals.revenue.merge(currency, revenue,
                (a, b) -> new Revenue(a.conversions() + b.conversions(), a.amount().add(b.amount()))));
    }

    List<org.salesledger.projections.attribution.datadriven.Journey> journeys() {
        return journeys(byPath);
    }

    static List<org.salesledger.projections.attribution.datadriven.Journey> journeys(Map<List<String>, Totals> byPath) {
        List<org.salesledger.projections.attribution.datadriven.Journey> journeys = new ArrayList<>(byPath.size());
        byPath.forEach((path, totals) -> journeys.add(new org.salesledger.projections.attribution.datadriven.Journey(
                path, totals.conversions, totals.nonConversions, totals.revenue)));
        return journeys;
    }

    /** What the journeys of one path add up to. */
    static final class Totals {
        long conversions;
        long nonConversions;
        final Map<String, Revenue> revenue = new TreeMap<>();
    }
}
