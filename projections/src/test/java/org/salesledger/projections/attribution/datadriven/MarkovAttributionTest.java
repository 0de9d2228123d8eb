package org.salesledger.projections.attribution.datadriven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.salesledger.projections.attribution.datadriven.Journeys.path;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Markov model: published examples, hand-computed cases and the invariants every model keeps. */
class MarkovAttributionTest {

    private static final double EXACT = 1e-12;

    // ---- published examples ----

    /*
     * Sergey Bryl', "Marketing Multi-Channel Attribution model with R (part 1: Markov chains concept)", analyzecore.com,
     * 2016-08-03 — the example the Anderl et al. (2016) removal effect is usually taught with: journeys
     * C1 > C2 > C3 (converts), C1 (does not), C2 > C3 (does not). The article works out a conversion probability of
     * 1/3; without C1 1/6 remains (removal effect 0.5), without C2 or C3 nothing (removal effect 1). The single
     * conversion then splits 0.5/2.5, 1/2.5, 1/2.5.
     */
    @Test
    void reproducesTheThreeJourneyExampleOfAnderlsRemovalEffect() {
        MarkovResult result = MarkovAttribution.attribute(Journeys.of(
                path("C1 > C2 > C3").converted(1),
                path("C1").notConverted(1),
                path("C2 > C3").notConverted(1)), 1);

        assertThat(result.conversionProbability()).isCloseTo(1.0 / 3, within(EXACT));
        assertThat(result.removalEffect("C1")).isCloseTo(0.5, within(EXACT));
        assertThat(result.removalEffect("C2")).isCloseTo(1.0, within(EXACT));
        assertThat(result.removalEffect("C3")).isCloseTo(1.0, within(EXACT));
        assertThat(result.attribution().credit("C1").conversions()).isCloseTo(0.2, within(EXACT));
        assertThat(result.attribution().credit("C2").conversions()).isCloseTo(0.4, within(EXACT));
        assertThat(result.attribution().credit("C3").conversions()).isCloseTo(0.4, within(EXACT));
    }

    /*
     * Altomare & Loris, "Markov Model for the Online Multichannel Attribution Problem" (the ChannelAttribution
     * vignette, 2016): three converting paths A>B>A>B>B>A, A>B>B>A>A and A>A. With repeats collapsed, as the
     * package does, the chain is (start)->A 1, A->B 0.5, A->(conversion) 0.5, B->A 1 — the transition matrix that
     * pychattr's README prints for the same paths (jmwoloso/pychattr, a port of ChannelAttribution). Removing A
     * leaves no conversion, removing B halves it: removal effects 1 and 0.5, so exactly 2 and 1 of the 3
     * conversions. pychattr's README prints the simulated estimate A 1.991106, B 1.008894 (10,000 simulations);
     * the exact answer lies within its simulation error.
     */
    @Test
    void reproducesChannelAttributionsVignetteExampleExactly() {
        MarkovResult result = MarkovAttribution.attribute(Journeys.of(
                path("A > B > A > B > B > A").converted(1),
                path("A > B > B > A > A").converted(1),
                path("A > A").converted(1)), 1);

        assertThat(result.transitions()).containsExactly(
                new MarkovResult.Transition("(start)", "A", 1.0),
                new MarkovResult.Transition("A", "(conversion)", 0.5),
                new MarkovResult.Transition("A", "B", 0.5),
                new MarkovResult.Transition("B", "A", 1.0));
        assertThat(result.removalEffect("A")).isCloseTo(1.0, within(EXACT));
        assertThat(result.removalEffect("B")).isCloseTo(0.5, within(EXACT));
        assertThat(result.attribution().credit("A").conversions()).isCloseTo(2.0, within(EXACT));
        assertThat(result.attribution().credit("B").conversions()).isCloseTo(1.0, within(EXACT));
        assertThat(result.attribution().credit("A").conversions()).isCloseTo(1.991106, within(0.01));
        assertThat(result.attribution().credit("B").conversions()).isCloseTo(1.008894, within(0.01));
    }

    // ---- the chain ----

    @Test
    void atOrderOneRepeatedTouchesOfAChannelCountOnce() {
        MarkovResult withRepeats = MarkovAttribution.attribute(Journeys.of(
                path("a > a > b > b > b > c").converted(3).notConverted(2),
                path("b > b > a").converted(1).notConverted(4),
                path("c > c > a > a").notConverted(3)), 1);
        MarkovResult collapsed = MarkovAttribution.attribute(Journeys.of(
                path("a > b > c").converted(3).notConverted(2),
                path("b > a").converted(1).notConverted(4),
                path("c > a").notConverted(3)), 1);

        Invariants.assertSameCredits(withRepeats.attribution(), collapsed.attribution(), EXACT);
        assertThat(withRepeats.transitions()).isEqualTo(collapsed.transitions());
    }

    /*
     * Hand-computed: a > c converts twice, b > c never (twice). At order 1 both end in the same state c, which
     * converts half the time: removing a or b halves the conversions (0.5 each), removing c ends them (1), so the
     * 2 conversions go a 0.5, b 0.5, c 1. At order 2 the states are the pairs "a,c" (always converts) and "b,c"
     * (never): removing a or c ends the conversions, removing b changes nothing, so a 1, b 0, c 1.
     */
    @Test
    void atOrderTwoAStateRemembersTheChannelBefore() {
        List<Journey> journeys = Journeys.of(
                path("a > c").converted(2),
                path("b > c").notConverted(2));

        Attribution first = MarkovAttribution.attribute(journeys, 1).attribution();
        MarkovResult second = MarkovAttribution.attribute(journeys, 2);

        assertThat(first.credit("a").conversions()).isCloseTo(0.5, within(EXACT));
        assertThat(first.credit("b").conversions()).isCloseTo(0.5, within(EXACT));
        assertThat(first.credit("c").conversions()).isCloseTo(1.0, within(EXACT));
        assertThat(second.removalEffect("a")).isCloseTo(1.0, within(EXACT));
        assertThat(second.removalEffect("b")).isCloseTo(0.0, within(EXACT));
        assertThat(second.removalEffect("c")).isCloseTo(1.0, within(EXACT));
        assertThat(second.attribution().credit("a").conversions()).isCloseTo(1.0, within(EXACT));
        assertThat(second.attribution().credit("b").conversions()).isCloseTo(0.0, within(EXACT));
        assertThat(second.attribution().credit("c").conversions()).isCloseTo(1.0, within(EXACT));
    }

    /*
     * ChannelAttribution's order-k states: windows of k consecutive touches sliding one touch at a time over the
     * path as recorded, equal consecutive windows collapsed, a path shorter than k one state of all its touches.
     */
    @Test
    void higherOrderStatesAreSlidingWindowsOfTheRecordedPath() {
        MarkovResult result = MarkovAttribution.attribute(Journeys.of(
                path("a > b > c > d").converted(1),
                path("a > a > a > a > b").notConverted(1),
                path("d").converted(1)), 3);

        assertThat(result.transitions()).extracting(t -> t.from() + " -> " + t.to()).containsExactly(
                "(start) -> a,a,a",
                "(start) -> a,b,c",
                "(start) -> d",
                "a,a,a -> a,a,b",
                "a,a,b -> (null)",
                "a,b,c -> b,c,d",
                "b,c,d -> (conversion)",
                "d -> (conversion)");
        assertThat(result.states()).isEqualTo(5);
    }

    /*
     * Hand-computed, order 2: a > b > c converts, b > c does not, a > c converts once in two. States "a,b", "b,c",
     * "a,c"; P = 1/4·1·1/2 + 1/4·1/2 + 1/2·1/2 = 1/2. Removing a drops "a,b" and "a,c": P = 1/8, effect 3/4;
     * removing b drops "a,b" and "b,c": P = 1/4, effect 1/2; removing c drops "b,c" and "a,c": P = 0, effect 1.
     * The 2 conversions split 3/4 : 1/2 : 1 = 2/3, 4/9, 8/9.
     */
    @Test
    void removingAChannelRemovesEveryStateThatContainsIt() {
        MarkovResult result = MarkovAttribution.attribute(Journeys.of(
                path("a > b > c").converted(1),
                path("b > c").notConverted(1),
                path("a > c").converted(1).notConverted(1)), 2);

        assertThat(result.conversionProbability()).isCloseTo(0.5, within(EXACT));
        assertThat(result.removalEffect("a")).isCloseTo(0.75, within(EXACT));
        assertThat(result.removalEffect("b")).isCloseTo(0.5, within(EXACT));
        assertThat(result.removalEffect("c")).isCloseTo(1.0, within(EXACT));
        assertThat(result.attribution().credit("a").conversions()).isCloseTo(2.0 / 3, within(EXACT));
        assertThat(result.attribution().credit("b").conversions()).isCloseTo(4.0 / 9, within(EXACT));
        assertThat(result.attribution().credit("c").conversions()).isCloseTo(8.0 / 9, within(EXACT));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void theChainsConversionProbabilityTimesTheJourneysIsTheConversions(int order) {
        List<Journey> journeys = randomJourneys(new Random(7), 300, 6, 9);
        long total = journeys.stream().mapToLong(j -> j.conversions() + j.nonConversions()).sum();
        long conversions = journeys.stream().mapToLong(Journey::conversions).sum();

        MarkovResult result = MarkovAttribution.attribute(journeys, order);

        assertThat(result.conversionProbability() * total).isCloseTo(conversions, within(1e-9 * conversions));
        assertThat(result.maxRelativeResidual()).isLessThan(1e-13);
    }

    // ---- revenue ----

    /*
     * Hand-computed: a > b converts once for EUR 100, b converts once for EUR 300, a fails twice. Order 1:
     * (start)->a 3/4, (start)->b 1/4, a->b 1/3, a->(null) 2/3, b->(conversion) 1. A conversion from b is worth the
     * average of the conversions that ended in b, EUR 200. Conversions: P = 1/2, 1/4 without a, 0 without b: effects
     * 1/2 and 1, credits 2/3 and 4/3. Revenue: the same effects here, so EUR 400 splits 400/3 and 800/3; the
     * credits add up to 400 exactly.
     */
    @Test
    void revenueFollowsTheRemovalEffectsOfExpectedRevenue() {
        MarkovResult result = MarkovAttribution.attribute(Journeys.of(
                path("a > b").converted(1).revenue("EUR", 1, "100.00"),
                path("b").converted(1).revenue("EUR", 1, "300.00"),
                path("a").notConverted(2)), 1);

        Attribution attribution = result.attribution();
        assertThat(result.revenueRemovalEffects().get("EUR").get("a")).isCloseTo(0.5, within(EXACT));
        assertThat(result.revenueRemovalEffects().get("EUR").get("b")).isCloseTo(1.0, within(EXACT));
        assertThat(attribution.credit("a").in("EUR").revenue().doubleValue()).isCloseTo(400.0 / 3, within(1e-9));
        assertThat(attribution.credit("b").in("EUR").revenue().doubleValue()).isCloseTo(800.0 / 3, within(1e-9));
        assertThat(attribution.credit("a").in("EUR").revenue().add(attribution.credit("b").in("EUR").revenue()))
                .isEqualByComparingTo("400.00");
    }

    /*
     * Hand-computed: a converts once for EUR 100, b once for EUR 300 (and each fails once). Each channel's removal
     * halves the conversions, so 1 and 1; but without a the expected revenue drops by a quarter, without b by three
     * quarters, so EUR 100 and EUR 300.
     */
    @Test
    void revenueRemovalEffectsWeighTheRevenueNotTheCount() {
        MarkovResult result = MarkovAttribution.attribute(Journeys.of(
                path("a").converted(1).notConverted(1).revenue("EUR", 1, "100"),
                path("b").converted(1).notConverted(1).revenue("EUR", 1, "300")), 1);

        assertThat(result.attribution().credit("a").conversions()).isCloseTo(1.0, within(EXACT));
        assertThat(result.attribution().credit("b").conversions()).isCloseTo(1.0, within(EXACT));
        assertThat(result.attribution().credit("a").in("EUR").revenue()).isEqualByComparingTo("100");
        assertThat(result.attribution().credit("b").in("EUR").revenue()).isEqualByComparingTo("300");
    }

    /*
     * Hand-computed: a converts twice for EUR 50 together; b converts once for USD 70 and fails once; a > b
     * converts once for USD 30. (start)->a 3/5, ->b 2/5; a->b 1/3, a->(conversion) 2/3; b->(conversion) 2/3,
     * b->(null) 1/3. EUR revenue only ever ends in a, and nothing leads from b to a: without b it is all still there,
     * so all EUR 50 to a. USD revenue ends in b, worth 100/3 per journey leaving b: expected USD 20 per journey,
     * 40/3 without a (effect 1/3), 0 without b (effect 1), so USD 100 splits 25 : 75. USD conversions likewise
     * 0.5 : 1.5; all conversions have effects 2/3 (a) and 1/2 (b), so 16/7 : 12/7 of 4.
     */
    @Test
    void eachCurrencyIsAttributedOnItsOwn() {
        MarkovResult result = MarkovAttribution.attribute(Journeys.of(
                path("a").converted(2).revenue("EUR", 2, "50.00"),
                path("b").converted(1).notConverted(1).revenue("USD", 1, "70.00"),
                path("a > b").converted(1).revenue("USD", 1, "30.00")), 1);

        Attribution attribution = result.attribution();
        assertThat(attribution.credit("a").in("EUR").revenue()).isEqualByComparingTo("50.00");
        assertThat(attribution.credit("b").in("EUR").revenue()).isEqualByComparingTo("0");
        assertThat(attribution.credit("a").in("EUR").conversions()).isCloseTo(2.0, within(EXACT));
        assertThat(attribution.credit("a").in("USD").revenue()).isEqualByComparingTo("25.00");
        assertThat(attribution.credit("b").in("USD").revenue()).isEqualByComparingTo("75.00");
        assertThat(attribution.credit("a").in("USD").conversions()).isCloseTo(0.5, within(EXACT));
        assertThat(attribution.credit("b").in("USD").conversions()).isCloseTo(1.5, within(EXACT));
        assertThat(attribution.credit("a").conversions()).isCloseTo(16.0 / 7, within(EXACT));
        assertThat(attribution.credit("b").conversions()).isCloseTo(12.0 / 7, within(EXACT));
        assertThat(result.revenueRemovalEffects().get("USD").get("a")).isCloseTo(1.0 / 3, within(EXACT));
        assertThat(attribution.totalRevenueByCurrency()).containsOnlyKeys("EUR", "USD");
    }

    /*
     * The Markov model only knows the last state: a conversion ending in a is worth the average of all conversions
     * that ended in a, whichever channel came before. Here b > a converts once for USD 70 and a twice for EUR 50;
     * b leads to a, so b shares in the EUR revenue too: effects a 1, b 1/2 for every measure, EUR 50 splits 100/3
     * : 50/3.
     */
    @Test
    void revenueDependsOnTheLastStateOnly() {
        Attribution attribution = MarkovAttribution.attribute(Journeys.of(
                path("a").converted(2).revenue("EUR", 2, "50.00"),
                path("b > a").converted(1).notConverted(1).revenue("USD", 1, "70.00"),
                path("b").notConverted(2)), 1).attribution();

        assertThat(attribution.credit("a").in("EUR").revenue().doubleValue()).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(attribution.credit("b").in("EUR").revenue().doubleValue()).isCloseTo(50.0 / 3, within(1e-9));
        assertThat(attribution.credit("b").in("USD").revenue().doubleValue()).isCloseTo(70.0 / 3, within(1e-9));
    }

    // ---- invariants ----

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void creditsAddUpToTheTotalsAndRevenueToTheCent(int order) {
        List<Journey> journeys = randomJourneys(new Random(11), 400, 8, 7);

        Attribution attribution = MarkovAttribution.attribute(journeys, order).attribution();

        Invariants.assertCreditsAddUpToTotals(attribution, journeys);
    }

    @Test
    void aChannelOnNoJourneyGetsNothing() {
        MarkovResult result = MarkovAttribution.attribute(Journeys.of(
                path("a > b").converted(3).notConverted(1).revenue("EUR", 3, "90"),
                path("b").converted(1).notConverted(5)), 1);

        assertThat(result.attribution().channels()).containsExactly("a", "b");
        assertThat(result.attribution().credit("elsewhere").conversions()).isZero();
        assertThat(result.attribution().credit("elsewhere").in("EUR").revenue()).isEqualByComparingTo("0");
        assertThat(result.removalEffect("elsewhere")).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void aSingleChannelGetsEverything(int order) {
        MarkovResult result = MarkovAttribution.attribute(Journeys.of(
                path("web > web > web").converted(3).notConverted(2).revenue("EUR", 3, "12.34"),
                path("web").converted(1).notConverted(7).revenue("EUR", 1, "0.01")), order);

        assertThat(result.attribution().credits()).hasSize(1);
        assertThat(result.attribution().credit("web").conversions()).isCloseTo(4.0, within(EXACT));
        assertThat(result.attribution().credit("web").in("EUR").revenue()).isEqualByComparingTo("12.35");
        assertThat(result.removalEffect("web")).isCloseTo(1.0, within(EXACT));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void theOrderOfTheJourneysAndHowTheyAreSummedChangeNothing(int order) {
        List<Journey> journeys = randomJourneys(new Random(5), 200, 7, 6);
        List<Journey> shuffled = new ArrayList<>(journeys);
        Collections.shuffle(shuffled, new Random(99));
        List<Journey> split = new ArrayList<>();
        for (Journey journey : shuffled) { // each journey given one by one
            for (long i = 0; i < journey.conversions(); i++) {
                split.add(new Journey(journey.channels(), 1, 0));
            }
            for (long i = 0; i < journey.nonConversions(); i++) {
                split.add(new Journey(journey.channels(), 0, 1));
            }
        }
        List<Journey> countsOnly = journeys.stream()
                .map(j -> new Journey(j.channels(), j.conversions(), j.nonConversions())).toList();

        MarkovResult original = MarkovAttribution.attribute(countsOnly, order);

        assertThat(MarkovAttribution.attribute(journeys, order)).isEqualTo(MarkovAttribution.attribute(shuffled,
                order));
        assertThat(MarkovAttribution.attribute(split, order)).isEqualTo(original);
    }

    @Test
    void withoutConversionsNothingIsCredited() {
        MarkovResult result = MarkovAttribution.attribute(Journeys.of(
                path("a > b").notConverted(3), path("b").notConverted(1)), 1);

        assertThat(result.conversionProbability()).isZero();
        assertThat(result.attribution().credits()).extracting(Credit::conversions).containsOnly(0.0);
    }

    @Test
    void noJourneysGiveAnEmptyAttribution() {
        MarkovResult result = MarkovAttribution.attribute(List.of(), 2);

        assertThat(result.attribution().credits()).isEmpty();
        assertThat(result.attribution().totalConversions()).isZero();
        assertThat(result.states()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, -1})
    void refusesAnOrderOutsideOneToThree(int order) {
        assertThatThrownBy(() -> MarkovAttribution.attribute(Journeys.of(path("a").converted(1)), order))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("order must be between 1 and 3");
    }

    @Test
    void revenueOfAZeroValueCurrencyStaysZero() {
        Attribution attribution = MarkovAttribution.attribute(Journeys.of(
                path("a > b").converted(1).revenue("EUR", 1, "0"),
                path("b").converted(1).notConverted(1)), 1).attribution();

        assertThat(attribution.credit("a").in("EUR").revenue()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(attribution.credit("b").in("EUR").revenue()).isEqualByComparingTo(BigDecimal.ZERO);
    }

    /** Random journeys over {@code channels} channels, paths up to {@code maxLength}, two currencies. */
    static List<Journey> randomJourneys(Random random, int count, int channels, int maxLength) {
        List<Journey> journeys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int length = 1 + random.nextInt(maxLength);
            String[] path = new String[length];
            for (int t = 0; t < length; t++) {
                path[t] = "ch" + (char) ('a' + random.nextInt(channels));
            }
            Journeys journey = path(path).converted(random.nextInt(3)).notConverted(1 + random.nextInt(3));
            Journey built = journey.build();
            if (built.conversions() > 0) {
                long eur = random.nextInt((int) built.conversions() + 1);
                long usd = built.conversions() - eur;
                if (eur > 0) {
                    journey.revenue("EUR", eur, BigDecimal.valueOf(random.nextInt(1_000_000), 2).toPlainString());
                }
                if (usd > 0 && random.nextBoolean()) {
                    journey.revenue("USD", usd, BigDecimal.valueOf(random.nextInt(50_000), 1).toPlainString());
                }
            }
            journeys.add(journey.build());
        }
        return journeys;
    }
}
