package org.salesledger.projections.attribution.datadriven;

import java.util.SplittableRandom;

/**
 * Shapley values of any cooperative game given by its characteristic function, exactly or by sampling.
 *
 * <p>Players are numbered {@code 0..n−1}; a coalition is a bit mask ({@code 1L << i} for player {@code i}).
 * The Shapley value of player {@code i} is
 * {@code φ_i = Σ_{S ⊆ N∖{i}} |S|! (n−|S|−1)! / n! · (v(S ∪ {i}) − v(S))}; the values add up to
 * {@code v(N) − v(∅)} (efficiency).
 *
 * <ul>
 *   <li>{@link #exact} evaluates that sum over all {@code 2^n} coalitions: {@code 2^n} calls of {@code v} and
 *   {@code n·2^n} additions, for up to {@link #MAX_EXACT_PLAYERS} players (15 players take about a millisecond).
 *   <li>{@link #sampled} estimates it by permutation sampling (Castro, Gómez &amp; Tejada 2009): for each of
 *   {@code m} uniformly random orders of the players, each player's marginal contribution on joining those before
 *   it; the estimate is the mean over the orders, unbiased, with standard error {@code s_i / √m} ({@code s_i} the
 *   sample standard deviation of player {@code i}'s contributions), so about 95% of estimates lie within two
 *   standard errors of the exact value. Each order's contributions add up to {@code v(N) − v(∅)}, so the estimates
 *   keep efficiency exactly (up to rounding). A fixed seed gives the same estimate every run.
 * </ul>
 *
 * <p>The attribution itself ({@link ShapleyAttribution}) needs neither: its characteristic function is zero except
 * on observed channel sets, which makes the same sum exact and cheap at any size. This class is its independent
 * check and the tool for games that are not so sparse.
 */
public final class ShapleyValues {

    /** The most players {@link #exact} accepts ({@code 2^20} coalitions). */
    public static final int MAX_EXACT_PLAYERS = 20;
    /** The most players {@link #sampled} accepts. */
    public static final int MAX_SAMPLED_PLAYERS = 63;

    private ShapleyValues() {
    }

    /** A characteristic function: the worth of a coalition given as a bit mask of players. */
    @FunctionalInterface
    public interface Game {
        double worth(long coalition);
    }

    /**
     * A sampled estimate.
     *
     * @param values         the estimated Shapley value of each player
     * @param standardErrors each estimate's standard error
     * @param permutations   how many random orders were drawn
     * @param seed           the seed they were drawn with
     */
    public record Estimate(double[] values, double[] standardErrors, int permutations, long seed) {
    }

    /** The exact Shapley values of a game of {@code players} players (at most {@link #MAX_EXACT_PLAYERS}). */
    public static double[] exact(int players, Game game) {
        if (players < 0 || players > MAX_EXACT_PLAYERS) {
            throw new IllegalArgumentException("exact Shapley values take 0 to " + MAX_EXACT_PLAYERS
                    + " players, got " + players + "; use sampled(...) beyond");
        }
        int coalitions = 1 << players;
        double[] worth = new double[coalitions];
        for (int s = 0; s < coalitions; s++) {
            worth[s] = game.worth(s);
        }
        double[] weight = new double[Math.max(players, 1)];
        for (int size = 0; size < players; size++) {
            weight[size] = 1.0 / (players * binomial(players - 1, size));
        }
        double[] values = new double[players];
        for (int i = 0; i < players; i++) {
            int bit = 1 << i;
            double sum = 0;
            for (int s = 0; s < coalitions; s++) {
                if ((s & bit) == 0) {
                    sum += weight[Integer.bitCount(s)] * (worth[s | bit] - worth[s]);
                }
            }
            values[i] = sum;
        }
        return values;
    }

    /**
     * Estimates the Shapley values of a game of {@code players} players (at most {@link #MAX_SAMPLED_PLAYERS}) from
     * {@code permutations} random orders drawn with {@code seed}.
     */
    public static Estimate sampled(int players, Game game, int permutations, long seed) {
        if (players < 0 || players > MAX_SAMPLED_PLAYERS) {
            throw new IllegalArgumentException("sampled Shapley values take 0 to " + MAX_SAMPLED_PLAYERS
                    + " players, got " + players);
        }
        if (permutations < 2) {
            throw new IllegalArgumentException("permutations must be at least 2, got " + permutations);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[players];
        double[] mean = new double[players];
        double[] squares = new double[players]; // Welford: sum of squared deviations
        double empty = game.worth(0L);
        for (int k = 1; k <= permutations; k++) {
            for (int i = 0; i < players; i++) {
                order[i] = i;
            }
            for (int i = players - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            long coalition = 0L;
            double before = empty;
            for (int position = 0; position < players; position++) {
                int player = order[position];
                coalition |= 1L << player;
                double after = game.worth(coalition);
                double contribution = after - before;
                double delta = contribution - mean[player];
                mean[player] += delta / k;
                squares[player] += delta * (contribution - mean[player]);
                before = after;
            }
        }
        double[] errors = new double[players];
        for (int i = 0; i < players; i++) {
            errors[i] = Math.sqrt(squares[i] / (permutations - 1) / permutations);
        }
        return new Estimate(mean, errors, permutations, seed);
    }

    /** {@code C(n, k)} as a double (exact up to 2^53). */
    static double binomial(int n, int k) {
        if (k < 0 || k > n) {
            return 0.0;
        }
        k = Math.min(k, n - k);
        double result = 1.0;
        for (int i = 1; i <= k; i++) {
            result = result * (n - k + i) / i;
        }
        return result;
    }
}
