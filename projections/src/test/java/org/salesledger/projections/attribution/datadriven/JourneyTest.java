package org.salesledger.projections.attribution.datadriven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A journey refuses what no model could make sense of, with a message that says why. */
class JourneyTest {

    @Test
    void refusesAJourneyWithoutChannels() {
        assertThatThrownBy(() -> new Journey(List.of(), 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one channel")
                .hasMessageContaining("(none)");
    }

    @Test
    void refusesBlankAndReservedChannelNames() {
        assertThatThrownBy(() -> new Journey(List.of("web", " "), 1, 0))
                .hasMessageContaining("blank channel");
        assertThatThrownBy(() -> new Journey(List.of("(conversion)"), 1, 0))
                .hasMessageContaining("reserved");
    }

    @Test
    void refusesNegativeCounts() {
        assertThatThrownBy(() -> new Journey(List.of("web"), -1, 0)).hasMessageContaining("conversions");
        assertThatThrownBy(() -> new Journey(List.of("web"), 0, -2)).hasMessageContaining("nonConversions");
    }

    @Test
    void refusesMoreConversionsInCurrenciesThanInAll() {
        Map<String, Journey.Revenue> revenue = Map.of(
                "EUR", new Journey.Revenue(2, new BigDecimal("10")),
                "USD", new Journey.Revenue(1, new BigDecimal("5")));

        assertThatThrownBy(() -> new Journey(List.of("web"), 2, 0, revenue))
                .hasMessageContaining("counts 3 conversions but the journey has only 2");
    }

    @Test
    void refusesRevenueWithoutConversionsOrBelowZero() {
        assertThatThrownBy(() -> new Journey.Revenue(0, BigDecimal.ONE)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new Journey.Revenue(1, new BigDecimal("-0.01"))).hasMessageContaining("negative");
    }

    @Test
    void keepsItsOwnCopyOfThePath() {
        List<String> path = new ArrayList<>(List.of("web", "fair"));
        Journey journey = new Journey(path, 1, 0);

        path.add("call");

        assertThat(journey.channels()).containsExactly("web", "fair");
    }
}
