package org.salesledger.projections.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.salesledger.projections.attribution.AttributionModel.FIRST_TOUCH;
import static org.salesledger.projections.attribution.AttributionModel.LAST_TOUCH;
import static org.salesledger.projections.attribution.AttributionModel.LINEAR;
import static org.salesledger.projections.attribution.AttributionModel.TIME_DECAY;
import static org.salesledger.projections.attribution.AttributionModel.U_SHAPED;
import static org.salesledger.projections.attribution.AttributionModel.W_SHAPED;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Contract §2's split of one conversion, model by model, on journeys worked out by hand. */
class AttributionRulesTest {

    private static final long DAY = AttributionRules.MICROS_PER_DAY;
    private static final long CONVERSION = 100 * DAY;
    private static final BigDecimal SEVEN = BigDecimal.valueOf(7);

    // ---- the window ----

    @Test
    void theWindowHoldsTouchesFromLookbackDaysBeforeTheConversionUpToItsTime() {
        List<Touch> touches = List.of(touch("too-early", CONVERSION - 90 * DAY - 1, 0),
                touch("first-day", CONVERSION - 90 * DAY, 1), touch("same-time", CONVERSION, 2),
                touch("after", CONVERSION + 1, 3));

        assertThat(AttributionRules.window(touches, CONVERSION, 90)).extracting(Touch::channel)
                .containsExactly("first-day", "same-time");
        assertThat(AttributionRules.window(touches, CONVERSION, 0)).extracting(Touch::channel)
                .containsExactly("same-time");
    }

    @Test
    void touchesAreOrderedByTimeThenByStoredOrder() {
        List<Touch> touches = new ArrayList<>(List.of(touch("later-stored", 5 * DAY, 7), touch("earlier-stored",
                5 * DAY, 3), touch("earliest", 4 * DAY, 9)));

        Collections.sort(touches);

        assertThat(touches).extracting(Touch::channel).containsExactly("earliest", "earlier-stored", "later-stored");
    }

    @Test
    void aConversionWithoutTouchesIsCreditedToNone() {
        for (AttributionModel model : AttributionModel.values()) {
            assertThat(AttributionRules.shares(model, List.of(), CONVERSION, null, SEVEN))
                    .as(model.code()).containsExactly(Map.entry("(none)", BigDecimal.ONE));
        }
    }

    // ---- the models ----

    @Test
    void firstAndLastTouchGiveEverythingToOneTouch() {
        List<Touch> window = journey("a", "b", "c");

        assertThat(shares(FIRST_TOUCH, window)).containsExactly(Map.entry("a", "1"));
        assertThat(shares(LAST_TOUCH, window)).containsExactly(Map.entry("c", "1"));
    }

    @Test
    void linearSharesEquallyAndAddsUpAChannelsTouches() {
        Map<String, BigDecimal> shares = AttributionRules.shares(LINEAR, journey("a", "b", "a"), CONVERSION, null,
                SEVEN);

        assertThat(shares.get("a")).isEqualByComparingTo(new BigDecimal(2).divide(new BigDecimal(3),
                AttributionRules.PRECISION));
        assertThat(shares.get("b").toPlainString()).isEqualTo("0.3333333333333333333333333333333333");
    }

    @Test
    void uShapedGivesFortyPercentToFirstAndLastAndTwentyToTheTouchesBetween() {
        assertThat(shares(U_SHAPED, journey("a"))).containsExactly(Map.entry("a", "1"));
        assertThat(shares(U_SHAPED, journey("a", "b"))).containsExactly(Map.entry("a", "0.5"), Map.entry("b", "0.5"));
        assertThat(shares(U_SHAPED, journey("a", "b", "c"))).containsExactly(Map.entry("a", "0.4"),
                Map.entry("b", "0.2"), Map.entry("c", "0.4"));
        assertThat(shares(U_SHAPED, journey("a", "b", "c", "d", "e"))).containsExactly(Map.entry("a", "0.4"),
                Map.entry("b", "0.06666666666666666666666666666666667"),
                Map.entry("c", "0.06666666666666666666666666666666667"),
                Map.entry("d", "0.06666666666666666666666666666666667"), Map.entry("e", "0.4"));
    }

    @Test
    void wShapedGivesThirtyPercentToFirstNeedsConfirmedAndLastTouchAndTenToTheOthers() {
        List<Touch> window = journey("a", "b", "c", "d", "e");
        long afterB = window.get(1).at();

        assertThat(AttributionRules.shares(W_SHAPED, window, CONVERSION, afterB + 1, SEVEN))
                .extractingByKeys("a", "b", "c", "d", "e").map(BigDecimal::toPlainString)
                .containsExactly("0.3", "0.3", "0.05", "0.05", "0.3");
    }

    @Test
    void wShapedPicksTheLastTouchAtOrBeforeNeedsConfirmed() {
        List<Touch> window = journey("a", "b", "c", "d");

        assertThat(AttributionRules.middle(window, window.get(2).at())).isEqualTo(2);
        assertThat(AttributionRules.middle(window, window.get(2).at() - 1)).isEqualTo(1);
        assertThat(AttributionRules.middle(window, window.get(0).at() - 1)).as("no touch that early").isZero();
        assertThat(AttributionRules.middle(window, null)).as("never reached").isZero();
    }

    @Test
    void wShapedAddsTheSharesOfPositionsThatCoincide() {
        // never reached NEEDS_CONFIRMED: the first touch holds two positions
        assertThat(shares(W_SHAPED, journey("a", "b", "c", "d"))).containsExactly(Map.entry("a", "0.6"),
                Map.entry("b", "0.05"), Map.entry("c", "0.05"), Map.entry("d", "0.3"));
        // reached it after the last touch: the last touch holds two positions
        List<Touch> three = journey("a", "b", "c");
        assertThat(AttributionRules.shares(W_SHAPED, three, CONVERSION, CONVERSION, SEVEN))
                .extractingByKeys("a", "b", "c").map(BigDecimal::toPlainString).containsExactly("0.3", "0.1", "0.6");
        // no other touches: the 10% goes to the three positions, a third each
        assertThat(shares(W_SHAPED, journey("a", "b"))).containsExactly(
                Map.entry("a", "0.6666666666666666666666666666666667"),
                Map.entry("b", "0.3333333333333333333333333333333333"));
        assertThat(AttributionRules.shares(W_SHAPED, three, CONVERSION, three.get(1).at(), SEVEN))
                .extractingByKeys("a", "b", "c").map(BigDecimal::toPlainString)
                .containsExactly("0.3333333333333333333333333333333333", "0.3333333333333333333333333333333333",
                        "0.3333333333333333333333333333333333");
        assertThat(shares(W_SHAPED, journey("a"))).containsExactly(Map.entry("a", "1"));
    }

    @Test
    void timeDecayHalvesATouchsWeightEveryHalfLifeBeforeTheConversion() {
        // 14, 7 and 0 days before the conversion: weights 1/4, 1/2, 1 of 7/4
        List<Touch> window = List.of(touch("a", CONVERSION - 14 * DAY, 0), touch("b", CONVERSION - 7 * DAY, 1),
                touch("c", CONVERSION, 2));

        Map<String, BigDecimal> shares = AttributionRules.shares(TIME_DECAY, window, CONVERSION, null, SEVEN);

        assertThat(shares).extractingByKeys("a", "b", "c").map(BigDecimal::toPlainString)
                .containsExactly("0.1428571428571428571428571428571429", "0.2857142857142857142857142857142857",
                        "0.5714285714285714285714285714285714");
    }

    @Test
    void timeDecayMeasuresFractionalDaysAndTheHalfLife() {
        // 1.5 days with a half-life of 3: 2^-0.5 against 1
        List<Touch> window = List.of(touch("a", CONVERSION - 3 * DAY / 2, 0), touch("b", CONVERSION, 1));

        Map<String, BigDecimal> shares = AttributionRules.shares(TIME_DECAY, window, CONVERSION, null,
                BigDecimal.valueOf(3));

        double a = Math.pow(2, -0.5);
        assertThat(shares.get("a").doubleValue()).isCloseTo(a / (1 + a), org.assertj.core.data.Offset.offset(1e-15));
        assertThat(shares.get("a").add(shares.get("b"))).isEqualByComparingTo(BigDecimal.ONE);
    }

    @Test
    void everyModelSplitsExactlyOneConversion() {
        List<Touch> window = journey("a", "b", "c", "b", "d", "e", "a");
        for (AttributionModel model : AttributionModel.values()) {
            BigDecimal total = AttributionRules.shares(model, window, CONVERSION, window.get(3).at(), SEVEN)
                    .values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(total.subtract(BigDecimal.ONE).abs()).as(model.code())
                    .isLessThanOrEqualTo(new BigDecimal("1e-33"));
        }
    }

    // ---- the window setting ----

    @Test
    void aWindowIsReadAsLookbackSlashHalfLifeAndRefusesWhatItCannotUse() {
        assertThat(Window.parse("30/3.50")).isEqualTo(new Window(30, new BigDecimal("3.5")));
        assertThat(Window.parse(" 90 / 7 ")).isEqualTo(Window.DEFAULT);
        assertThatThrownBy(() -> Window.parse("90")).hasMessageContaining("lookbackDays/halfLifeDays");
        assertThatThrownBy(() -> Window.parse("-1/7")).hasMessageContaining("lookbackDays");
        assertThatThrownBy(() -> Window.parse("90/0")).hasMessageContaining("halfLifeDays");
    }

    // ---- helpers ----

    /** Touches one day apart, ending two days before the conversion, stored in this order. */
    private static List<Touch> journey(String... channels) {
        List<Touch> touches = new ArrayList<>();
        for (int i = 0; i < channels.length; i++) {
            touches.add(touch(channels[i], CONVERSION - (channels.length + 1 - i) * DAY, i));
        }
        return touches;
    }

    private static Touch touch(String channel, long at, long seq) {
        return new Touch(channel, at, seq);
    }

    private static Map<String, String> shares(AttributionModel model, List<Touch> window) {
        Map<String, String> shares = new java.util.LinkedHashMap<>();
        AttributionRules.shares(model, window, CONVERSION, null, SEVEN)
                .forEach((k, v) -> shares.put(k, v.stripTrailingZeros().toPlainString()));
        return shares;
    }
}
