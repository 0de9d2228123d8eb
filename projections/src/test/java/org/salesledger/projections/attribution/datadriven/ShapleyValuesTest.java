package org.salesledger.projections.attribution.datadriven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Shapley-value engine: published games, the axioms, and sampling against the exact values. */
class ShapleyValuesTest {

    private static final double EXACT = 1e-9;

    /*
     * "Data-driven marketing attribution", towardsdatascience.com/data-driven-marketing-attribution-1a28d2e613a0
     * (2019), reproduced in the notebook tomgorb/misc "Data Driven Attribution.ipynb": channels Facebook, Organic,
     * LinkedIn with coalition worths F 0.2, O 0.1, L 0.17, F+O 0.47, F+L 0.67, L+O 0.27, F+L+O 1.0; the published
     * Shapley values are F 0.455, O 0.205, L 0.34.
     */
    @Test
    void reproducesThePublishedThreeChannelMarketingExample() {
        double[] worth = new double[8];
        int f = 1;
        int o = 2;
        int l = 4;
        worth[f] = 0.2;
        worth[o] = 0.1;
        worth[l] = 0.17;
        worth[f | o] = 0.47;
        worth[f | l] = 0.67;
        worth[l | o] = 0.27;
        worth[f | o | l] = 1.0;

        double[] values = ShapleyValues.exact(3, coalition -> worth[(int) coalition]);

        assertThat(values[0]).isCloseTo(0.455, within(EXACT));
        assertThat(values[1]).isCloseTo(0.205, within(EXACT));
        assertThat(values[2]).isCloseTo(0.34, within(EXACT));
    }

    /*
     * A textbook exercise on the Shapley value (as published at tutorsglobe.com/question/
     * prove-the-process-always-terminates--the-total-payoffs-51734929.aspx): v(1) = 6, v(2) = 12, v(3) = 18, v(12) = 30, v(13) = 60, v(23) = 90, v(123) = 120. The exercise computes the
     * value by dividing each coalition's Harsanyi dividend equally among its members: dividends 6, 12, 18 (single),
     * 12, 36, 60 (pairs), -24 (all three), so φ1 = 6 + 6 + 18 - 8 = 22, φ2 = 12 + 6 + 30 - 8 = 40,
     * φ3 = 18 + 18 + 30 - 8 = 58 — a different route from the subset formula the engine sums.
     */
    @Test
    void agreesWithTheHarsanyiDividendsOfATextbookGame() {
        double[] worth = {0, 6, 12, 30, 18, 60, 90, 120};

        double[] values = ShapleyValues.exact(3, coalition -> worth[(int) coalition]);

        assertThat(values).containsExactly(new double[] {22, 40, 58}, within(EXACT));
    }

    @Test
    void valuesAddUpToTheGrandCoalitionsWorth() {
        Random random = new Random(3);
        double[] worth = new double[1 << 10];
        for (int s = 1; s < worth.length; s++) {
            worth[s] = random.nextDouble();
        }

        double[] values = ShapleyValues.exact(10, coalition -> worth[(int) coalition]);

        assertThat(Arrays.stream(values).sum()).isCloseTo(worth[worth.length - 1], within(EXACT));
    }

    @Test
    void aPlayerWhoAddsNothingGetsNothingAndEqualPlayersGetTheSame() {
        // players 0 and 1 are interchangeable, player 2 never changes the worth
        ShapleyValues.Game game = coalition -> {
            long core = coalition & 3L;
            return core == 3L ? 10 : core == 0 ? 0 : 4;
        };

        double[] values = ShapleyValues.exact(3, game);

        assertThat(values[0]).isCloseTo(5.0, within(EXACT));
        assertThat(values[1]).isCloseTo(5.0, within(EXACT));
        assertThat(values[2]).isCloseTo(0.0, within(EXACT));
    }

    @Test
    void samplingIsCloseToTheExactValuesOnTwelvePlayers() {
        ShapleyValues.Game game = nonAdditiveGame(12, new Random(8));
        double[] exact = ShapleyValues.exact(12, game);

        ShapleyValues.Estimate estimate = ShapleyValues.sampled(12, game, 20_000, 1234L);

        for (int i = 0; i < 12; i++) {
            assertThat(estimate.standardErrors()[i]).isPositive().isLessThan(0.02 * Math.abs(exact[i]) + 1e-3);
            assertThat(estimate.values()[i]).as("player %d", i)
                    .isCloseTo(exact[i], within(4 * estimate.standardErrors()[i]));
        }
        assertThat(Arrays.stream(estimate.values()).sum())
                .isCloseTo(game.worth((1L << 12) - 1) - game.worth(0), within(1e-9));
    }

    @Test
    void samplingWithTheSameSeedGivesTheSameEstimate() {
        ShapleyValues.Game game = nonAdditiveGame(30, new Random(9));

        ShapleyValues.Estimate first = ShapleyValues.sampled(30, game, 500, 77L);
        ShapleyValues.Estimate second = ShapleyValues.sampled(30, game, 500, 77L);

        assertThat(first.values()).containsExactly(second.values());
        assertThat(first.standardErrors()).containsExactly(second.standardErrors());
    }

    @Test
    void exactValuesAreRefusedBeyondTwentyPlayers() {
        assertThatThrownBy(() -> ShapleyValues.exact(21, coalition -> 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use sampled");
    }

    /** Weights plus pairwise synergies, squared-root: neither additive nor symmetric. */
    static ShapleyValues.Game nonAdditiveGame(int players, Random random) {
        double[] weight = new double[players];
        double[][] synergy = new double[players][players];
        for (int i = 0; i < players; i++) {
            weight[i] = random.nextDouble();
            for (int j = 0; j < i; j++) {
                synergy[i][j] = random.nextDouble() < 0.3 ? random.nextDouble() : 0;
            }
        }
        return coalition -> {
            double sum = 0;
            for (int i = 0; i < players; i++) {
                if ((coalition & (1L << i)) == 0) {
                    continue;
                }
                sum += weight[i];
                for (int j = 0; j < i; j++) {
                    if ((coalition & (1L << j)) != 0) {
                        sum += synergy[i][j];
                    }
                }
            }
            return Math.sqrt(sum);
        };
    }
}
