package org.salesledger.projections.attribution.datadriven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.salesledger.projections.attribution.datadriven.Journeys.path;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Shapley and simplified Shapley attribution: published and hand-computed cases, equivalences, invariants. */
class ShapleyAttributionTest {

    private static final double EXACT = 1e-9;

    /*
     * The data of "Data-driven marketing attribution" (towardsdatascience.com/data-driven-marketing-attribution-
     * 1a28d2e613a0, 2019; notebook tomgorb/misc "Data Driven Attribution.ipynb"): 100 conversions, 20 by Facebook
     * alone, 10 Organic, 17 LinkedIn, 17 Facebook+Organic, 30 Facebook+LinkedIn, 6 all three. Its worth of a
     * coalition is the share of conversions whose channels lie within it — Zhao et al.'s characteristic function —
     * and its published Shapley values are F 0.455, O 0.205, L 0.34 of the conversions: 45.5, 20.5, 34.
     */
    @Test
    void simplifiedShapleyReproducesThePublishedThreeChannelExample() {
        List<Journey> journeys = tutorialJourneys();

        Attribution attribution = ShapleyAttribution.simplified(journeys);

        assertThat(attribution.credit("F").conversions()).isCloseTo(45.5, within(EXACT));
        assertThat(attribution.credit("O").conversions()).isCloseTo(20.5, within(EXACT));
        assertThat(attribution.credit("L").conversions()).isCloseTo(34.0, within(EXACT));
    }

    /*
     * The same journeys under the exact-set conversion rate. Every observed set converts at rate 1; L+O is never
     * observed (worth 0). Hand-computed: singletons keep their conversions; in {F,O} and {F,L} both channels are
     * symmetric (1/2 each); in {F,O,L} the subset formula gives F 2/3, O 1/6, L 1/6 (F completes every observed
     * pair, O and L complete only one each). So F 20 + 8.5 + 15 + 4 = 47.5, O 10 + 8.5 + 1 = 19.5,
     * L 17 + 15 + 1 = 33.
     */
    @Test
    void shapleyReproducesTheHandComputedValuesOfTheSameExample() {
        Attribution attribution = ShapleyAttribution.attribute(tutorialJourneys());

        assertThat(attribution.credit("F").conversions()).isCloseTo(47.5, within(EXACT));
        assertThat(attribution.credit("O").conversions()).isCloseTo(19.5, within(EXACT));
        assertThat(attribution.credit("L").conversions()).isCloseTo(33.0, within(EXACT));
    }

    /*
     * Hand-computed: A alone converts at 0.1 (1 of 10), B alone at 0.5 (5 of 10), A and B together at 0.4
     * (20 of 50). In the game on {A, B}: φ_A = ½·0.1 + ½·(0.4 − 0.5) = 0 and φ_B = ½·0.5 + ½·(0.4 − 0.1) = 0.4:
     * adding A to B does not raise the rate, so all 20 joint conversions go to B. Credits A 1, B 25.
     */
    @Test
    void aChannelEarnsWhatItAddsToTheConversionRate() {
        Attribution attribution = ShapleyAttribution.attribute(Journeys.of(
                path("A").converted(1).notConverted(9),
                path("B").converted(5).notConverted(5),
                path("A > B > A").converted(20).notConverted(30)));

        assertThat(attribution.credit("A").conversions()).isCloseTo(1.0, within(EXACT));
        assertThat(attribution.credit("B").conversions()).isCloseTo(25.0, within(EXACT));
    }

    /*
     * Hand-computed: A alone converts at 0.9, B alone at 0.1, both at 0.2. φ_A = ½·0.9 + ½·(0.2 − 0.1) = 0.5,
     * φ_B = ½·0.1 + ½·(0.2 − 0.9) = −0.3: B lowers the rate. The 2 joint conversions split 0.5/0.2 = 2.5 and
     * −0.3/0.2 = −1.5 of each: A 9 + 5 = 14, B 1 − 3 = −2; the totals still add up (12).
     */
    @Test
    void aChannelThatLowersTheConversionRateGetsANegativeCredit() {
        Attribution attribution = ShapleyAttribution.attribute(Journeys.of(
                path("A").converted(9).notConverted(1),
                path("B").converted(1).notConverted(9),
                path("B > A").converted(2).notConverted(8).revenue("EUR", 2, "100.00")));

        assertThat(attribution.credit("A").conversions()).isCloseTo(14.0, within(EXACT));
        assertThat(attribution.credit("B").conversions()).isCloseTo(-2.0, within(EXACT));
        assertThat(attribution.credit("A").in("EUR").revenue()).isEqualByComparingTo("250.00");
        assertThat(attribution.credit("B").in("EUR").revenue()).isEqualByComparingTo("-150.00");
    }

    @Test
    void whenNoSmallerSetIsObservedShapleyIsTheSimplifiedSplit() {
        List<Journey> journeys = Journeys.of(
                path("a > b > c").converted(3).notConverted(4).revenue("EUR", 3, "30.00"),
                path("d > e").converted(1).notConverted(1),
                path("f").converted(2).notConverted(9).revenue("USD", 1, "5"));

        Invariants.assertSameCredits(ShapleyAttribution.attribute(journeys), ShapleyAttribution.simplified(journeys),
                1e-12);
    }

    /*
     * Zhao, Mahboobi & Bagheri (2018), "Shapley Value Methods for Attribution Modeling in Online Advertising"
     * (arXiv:1804.05327): with the worth of a coalition S the conversions of all journeys whose channels lie within
     * S, the Shapley value simplifies to each conversion split equally among its journey's distinct channels.
     * Here: the full subset formula over all channels (ShapleyValues.exact) on that worth equals the simplified
     * credits, for conversions and for revenue.
     */
    @Test
    void simplifiedShapleyIsTheShapleyValueOfZhaosCharacteristicFunction() {
        List<Journey> journeys = randomJourneys(new Random(21), 300, 10, 6);
        Attribution simplified = ShapleyAttribution.simplified(journeys);
        List<String> channels = simplified.channels();
        Map<Long, double[]> bySet = new HashMap<>(); // conversions, EUR revenue of journeys with exactly this set
        for (Journey journey : journeys) {
            double eur = journey.revenueByCurrency().containsKey("EUR")
                    ? journey.revenueByCurrency().get("EUR").amount().doubleValue() : 0;
            double[] sums = bySet.computeIfAbsent(mask(journey, channels), k -> new double[2]);
            sums[0] += journey.conversions();
            sums[1] += eur;
        }

        for (int measure = 0; measure < 2; measure++) {
            int m = measure;
            double[] values = ShapleyValues.exact(channels.size(), coalition -> {
                double worth = 0;
                for (Map.Entry<Long, double[]> set : bySet.entrySet()) {
                    if ((set.getKey() & ~coalition) == 0) {
                        worth += set.getValue()[m];
                    }
                }
                return worth;
            });
            for (int j = 0; j < channels.size(); j++) {
                Credit credit = simplified.credit(channels.get(j));
                double actual = m == 0 ? credit.conversions() : credit.in("EUR").revenue().doubleValue();
                assertThat(actual).as("%s of %s", m == 0 ? "conversions" : "EUR", channels.get(j))
                        .isCloseTo(values[j], within(EXACT * Math.max(1, Math.abs(values[j]))));
            }
        }
    }

    @Test
    void shapleyEqualsTheFullSubsetFormulaInEachChannelSetsGame() {
        List<Journey> journeys = randomJourneys(new Random(5), 1_500, 8, 10);
        assertEqualsDenseSubsetFormula(journeys, ShapleyAttribution.attribute(journeys));
    }

    @Test
    void shapleyIsExactBeyondFifteenChannels() {
        // one journey set of 18 channels, with many of its subsets observed
        Random random = new Random(17);
        List<Journey> journeys = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            all.add("c" + (char) ('a' + i));
        }
        journeys.add(new Journey(all, 40, 60));
        for (int k = 0; k < 400; k++) {
            List<String> subset = new ArrayList<>();
            for (String channel : all) {
                if (random.nextInt(3) == 0) {
                    subset.add(channel);
                }
            }
            if (!subset.isEmpty()) {
                journeys.add(new Journey(subset, random.nextInt(4), 1 + random.nextInt(5)));
            }
        }
        assertEqualsDenseSubsetFormula(journeys, ShapleyAttribution.attribute(journeys));
    }

    /*
     * The brief's sampling check, on a game taken from data: the set of 12 channels whose subsets are all observed
     * with their own conversion rates. Permutation sampling (20,000 orders, fixed seed) lands within 4 standard
     * errors of the exact values.
     */
    @Test
    void samplingTheGameOfATwelveChannelSetIsCloseToItsExactValues() {
        Random random = new Random(12);
        Map<Long, Double> rate = new HashMap<>();
        for (long s = 1; s < (1 << 12); s++) {
            rate.put(s, random.nextDouble());
        }
        ShapleyValues.Game game = coalition -> rate.getOrDefault(coalition, 0.0);

        double[] exact = ShapleyValues.exact(12, game);
        ShapleyValues.Estimate sampled = ShapleyValues.sampled(12, game, 20_000, 42L);

        for (int i = 0; i < 12; i++) {
            assertThat(sampled.values()[i]).isCloseTo(exact[i], within(4 * sampled.standardErrors()[i]));
        }
    }

    // ---- invariants ----

    @Test
    void creditsAddUpToTheTotalsAndRevenueToTheCent() {
        List<Journey> journeys = randomJourneys(new Random(31), 500, 9, 7);

        Invariants.assertCreditsAddUpToTotals(ShapleyAttribution.attribute(journeys), journeys);
        Invariants.assertCreditsAddUpToTotals(ShapleyAttribution.simplified(journeys), journeys);
    }

    @Test
    void aChannelOnNoConvertingJourneyGetsNothing() {
        List<Journey> journeys = Journeys.of(
                path("a > b").converted(3).notConverted(1),
                path("b").converted(1).notConverted(5),
                path("c > c").notConverted(4));

        for (Attribution attribution : List.of(ShapleyAttribution.attribute(journeys),
                ShapleyAttribution.simplified(journeys))) {
            assertThat(attribution.credit("c").conversions()).isZero();
            assertThat(attribution.credit("elsewhere").conversions()).isZero();
        }
    }

    @Test
    void aSingleChannelGetsEverything() {
        List<Journey> journeys = Journeys.of(
                path("web > web").converted(3).notConverted(2).revenue("EUR", 3, "12.34"),
                path("web").converted(1).notConverted(7).revenue("EUR", 1, "0.01"));

        for (Attribution attribution : List.of(ShapleyAttribution.attribute(journeys),
                ShapleyAttribution.simplified(journeys))) {
            assertThat(attribution.credits()).hasSize(1);
            assertThat(attribution.credit("web").conversions()).isCloseTo(4.0, within(EXACT));
            assertThat(attribution.credit("web").in("EUR").revenue()).isEqualByComparingTo("12.35");
        }
    }

    @Test
    void theOrderOfTheJourneysAndOfTheirTouchesChangeNothing() {
        List<Journey> journeys = randomJourneys(new Random(8), 300, 8, 6);
        List<Journey> reordered = new ArrayList<>();
        Random random = new Random(1);
        for (Journey journey : journeys) {
            List<String> touches = new ArrayList<>(journey.channels());
            Collections.shuffle(touches, random);
            reordered.add(new Journey(touches, journey.conversions(), journey.nonConversions(),
                    journey.revenueByCurrency()));
        }
        Collections.shuffle(reordered, random);

        assertThat(ShapleyAttribution.attribute(reordered)).isEqualTo(ShapleyAttribution.attribute(journeys));
        assertThat(ShapleyAttribution.simplified(reordered)).isEqualTo(ShapleyAttribution.simplified(journeys));
    }

    // ---- helpers ----

    /** The tutorial's 100 converting journeys. */
    private static List<Journey> tutorialJourneys() {
        return Journeys.of(
                path("F").converted(20),
                path("O").converted(10),
                path("L").converted(17),
                path("O > F").converted(17),
                path("L > F").converted(30),
                path("F > O > L").converted(6));
    }

    /**
     * Recomputes the attribution independently: the conversion rate of each exact channel set, then for each
     * converting set its game's Shapley values by the full subset formula ({@link ShapleyValues#exact}), its
     * conversions split by {@code φ / v(T)}.
     */
    static void assertEqualsDenseSubsetFormula(List<Journey> journeys, Attribution attribution) {
        Map<Set<String>, long[]> bySet = new LinkedHashMap<>();
        for (Journey journey : journeys) {
            long[] counts = bySet.computeIfAbsent(new TreeSet<>(journey.channels()), k -> new long[2]);
            counts[0] += journey.conversions();
            counts[1] += journey.nonConversions();
        }
        Map<Set<String>, Double> rate = new HashMap<>();
        bySet.forEach((set, counts) -> rate.put(set, counts[0] + counts[1] == 0 ? 0.0
                : (double) counts[0] / (counts[0] + counts[1])));
        Map<String, Double> expected = new HashMap<>();
        bySet.forEach((set, counts) -> {
            if (counts[0] == 0) {
                return;
            }
            List<String> players = new ArrayList<>(set);
            double[] phi = ShapleyValues.exact(players.size(), coalition -> {
                Set<String> members = new TreeSet<>();
                for (int i = 0; i < players.size(); i++) {
                    if ((coalition & (1L << i)) != 0) {
                        members.add(players.get(i));
                    }
                }
                return rate.getOrDefault(members, 0.0);
            });
            for (int i = 0; i < players.size(); i++) {
                expected.merge(players.get(i), counts[0] * phi[i] / rate.get(set), Double::sum);
            }
        });
        double total = journeys.stream().mapToLong(Journey::conversions).sum();
        expected.forEach((channel, conversions) -> assertThat(attribution.credit(channel).conversions())
                .as(channel).isCloseTo(conversions, within(EXACT * total)));
    }

    private static long mask(Journey journey, List<String> channels) {
        long mask = 0;
        for (String channel : journey.channels()) {
            mask |= 1L << channels.indexOf(channel);
        }
        return mask;
    }

    private static List<Journey> randomJourneys(Random random, int count, int channels, int maxLength) {
        List<Journey> journeys = MarkovAttributionTest.randomJourneys(random, count, channels, maxLength);
        assertThat(journeys).isNotEmpty();
        return journeys;
    }
}
