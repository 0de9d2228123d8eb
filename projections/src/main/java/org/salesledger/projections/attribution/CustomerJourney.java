package org.salesledger.projections.attribution;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One customer's journey as the attribution models see it: its registration data (the filters), its touches in
 * order (time, then stored order), its conversions and when it reached {@code NEEDS_CONFIRMED}.
 */
final class CustomerJourney {

    private final String region;
    private final String team;
    private final String rep;
    private final Long needsConfirmedAt;
    private final List<Touch> touches;
    private final List<Conversion> conversions;

    CustomerJourney(String region, String team, String rep, Long needsConfirmedAt, List<Touch> touches,
                    List<Conversion> conversions) {
        this.region = region;
        this.team = team;
        this.rep = rep;
        this.needsConfirmedAt = needsConfirmedAt;
        List<Touch> sorted = new ArrayList<>(touches);
        Collections.sort(sorted);
        this.touches = sorted;
        this.conversions = List.copyOf(conversions);
    }

    String region() {
        return region;
    }

    String team() {
        return team;
    }

    String rep() {
        return rep;
    }

    List<Conversion> conversions() {
        return conversions;
    }

    List<Touch> touches() {
        return touches;
    }

    /** Each channel's share of one conversion under {@code model} and {@code window} (contract §2). */
    Map<String, BigDecimal> credit(Conversion conversion, AttributionModel model, Window window) {
        List<Touch> inWindow = AttributionRules.window(touches, conversion.at(), window.lookbackDays());
        return AttributionRules.shares(model, inWindow, conversion.at(), needsConfirmedAt, window.halfLifeDays());
    }
}
