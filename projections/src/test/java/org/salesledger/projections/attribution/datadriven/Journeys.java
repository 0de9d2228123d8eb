package org.salesledger.projections.attribution.datadriven;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test-data builder for journeys: {@code path("a", "b").converted(2).notConverted(1).revenue("EUR", 2, "30.00")}. */
final class Journeys {

    private final List<String> channels;
    private long conversions;
    private long nonConversions;
    private final Map<String, Journey.Revenue> revenue = new TreeMap<>();

    private Journeys(List<String> channels) {
        this.channels = channels;
    }

    static Journeys path(String... channels) {
        return new Journeys(Arrays.asList(channels));
    }

    /** A path written as ChannelAttribution writes it: {@code "a > b > c"}. */
    static Journeys path(String path) {
        return new Journeys(Arrays.stream(path.split(">")).map(String::trim).toList());
    }

    Journeys converted(long conversions) {
        this.conversions = conversions;
        return this;
    }

    Journeys notConverted(long nonConversions) {
        this.nonConversions = nonConversions;
        return this;
    }

    /** Of the conversions, {@code conversions} were in {@code currency}, worth {@code amount} together. */
    Journeys revenue(String currency, long conversions, String amount) {
        revenue.put(currency, new Journey.Revenue(conversions, new BigDecimal(amount)));
        return this;
    }

    Journey build() {
        return new Journey(channels, conversions, nonConversions, revenue);
    }

    static List<Journey> of(Journeys... journeys) {
        List<Journey> built = new ArrayList<>();
        for (Journeys journey : journeys) {
            built.add(journey.build());
        }
        return built;
    }
}
