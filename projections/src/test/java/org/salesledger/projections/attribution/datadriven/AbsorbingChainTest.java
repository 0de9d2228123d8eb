package org.salesledger.projections.attribution.datadriven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The solver of {@code (I − Q) x = b} against an independent dense Gauss–Jordan elimination with full pivoting,
 * on chains built to reach each of its paths: acyclic, small loops (dense LU), large loops (Gauss–Seidel) and
 * slowly mixing loops, with and without removed states.
 */
class AbsorbingChainTest {

    @Test
    void solvesALargeWellMixedLoopByGaussSeidelToMachinePrecision() {
        Sparse q = Sparse.randomLoop(new Random(1), 700, 0.2, 4);
        assertMatchesDenseSolution(q, 3, new boolean[q.n], 1e-13);
    }

    @Test
    void solvesASlowlyMixingLargeLoopToAbout1e12() {
        // a ring of 400 states where each step leaves the chain with probability 0.002: spectral radius ≈ 0.998
        Sparse q = Sparse.randomLoop(new Random(2), 400, 0.002, 2);
        assertMatchesDenseSolution(q, 2, new boolean[q.n], 1e-11);
    }

    @Test
    void measuresOfVeryDifferentSizeAreEachSolvedToTheirOwnPrecision() {
        // probabilities below one next to revenue in the millions, in one Gauss–Seidel loop
        Sparse q = Sparse.randomLoop(new Random(6), 600, 0.05, 3);
        assertMatchesDenseSolution(q, 3, new boolean[q.n], 1e-13);
    }

    @Test
    void solvesANearlyClosedSmallLoopExactly() {
        // a <-> b, leaving with probability 1e-6 from b: dense LU, no iteration
        Sparse q = new Sparse(2);
        q.add(0, 1, 1.0);
        q.add(1, 0, 1.0 - 1e-6);
        double[] b = {0.0, 1e-6};
        AbsorbingChain.Solution solution = q.chain().solve(b, 1, new boolean[2]);
        assertThat(solution.x()[0]).isCloseTo(1.0, within(1e-9));
        assertThat(solution.x()[1]).isCloseTo(1.0, within(1e-9));
        assertMatchesDenseSolution(q, 1, new boolean[2], 1e-12);
    }

    @Test
    void heldStatesCountAsLeavingTheChain() {
        Sparse q = Sparse.randomLoop(new Random(3), 500, 0.1, 3);
        boolean[] removed = new boolean[q.n];
        Random random = new Random(4);
        for (int s = 0; s < q.n; s++) {
            removed[s] = random.nextInt(5) == 0;
        }
        assertMatchesDenseSolution(q, 2, removed, 1e-13);
    }

    @Test
    void solvesAnAcyclicChainInOnePass() {
        Sparse q = new Sparse(4);
        q.add(0, 1, 0.5);
        q.add(0, 2, 0.25);
        q.add(1, 3, 0.5);
        q.add(2, 3, 1.0);
        double[] b = {0.25, 0.5, 0.0, 1.0};
        AbsorbingChain chain = q.chain();
        AbsorbingChain.Solution solution = chain.solve(b, 1, new boolean[4]);
        assertThat(chain.components()).isEqualTo(4);
        assertThat(solution.x()).containsExactly(0.25 + 0.5 * 1.0 + 0.25 * 1.0, 1.0, 1.0, 1.0);
    }

    private static void assertMatchesDenseSolution(Sparse q, int measures, boolean[] removed, double tolerance) {
        Random random = new Random(42);
        double[] b = new double[q.n * measures];
        for (int s = 0; s < q.n; s++) {
            double leave = 1.0 - q.rowSum(s);
            for (int m = 0; m < measures; m++) {
                b[s * measures + m] = leave * (m == 0 ? 1.0 : random.nextDouble() * Math.pow(1e4, m));
            }
        }
        AbsorbingChain.Solution solution = q.chain().solve(b, measures, removed);
        double[][] expected = q.denseSolve(b, measures, removed);
        for (int m = 0; m < measures; m++) {
            double scale = 0;
            for (double[] row : expected) {
                scale = Math.max(scale, Math.abs(row[m]));
            }
            for (int s = 0; s < q.n; s++) {
                double want = removed[s] ? 0.0 : expected[s][m];
                assertThat(solution.x()[s * measures + m]).as("state %d measure %d", s, m)
                        .isCloseTo(want, within(tolerance * scale));
            }
        }
        assertThat(solution.relativeResidual()).isLessThan(tolerance);
    }

    /** A sparse substochastic matrix for tests. */
    static final class Sparse {
        final int n;
        final List<TreeMap<Integer, Double>> rows = new ArrayList<>();

        Sparse(int n) {
            this.n = n;
            for (int i = 0; i < n; i++) {
                rows.add(new TreeMap<>());
            }
        }

        void add(int from, int to, double p) {
            rows.get(from).merge(to, p, Double::sum);
        }

        double rowSum(int s) {
            return rows.get(s).values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** One strongly connected loop through all states plus random shortcuts; each row leaves with {@code exit}. */
        static Sparse randomLoop(Random random, int n, double exit, int shortcuts) {
            Sparse q = new Sparse(n);
            for (int s = 0; s < n; s++) {
                double[] weights = new double[shortcuts + 1];
                double sum = 0;
                for (int k = 0; k <= shortcuts; k++) {
                    weights[k] = 0.1 + random.nextDouble();
                    sum += weights[k];
                }
                q.add(s, (s + 1) % n, (1 - exit) * weights[0] / sum);
                for (int k = 1; k <= shortcuts; k++) {
                    int to = random.nextInt(n);
                    if (to == s) {
                        to = (s + 2) % n;
                    }
                    q.add(s, to, (1 - exit) * weights[k] / sum);
                }
            }
            return q;
        }

        AbsorbingChain chain() {
            int[] rowStart = new int[n + 1];
            List<Integer> columns = new ArrayList<>();
            List<Double> probabilities = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                rows.get(s).forEach((to, p) -> {
                    columns.add(to);
                    probabilities.add(p);
                });
                rowStart[s + 1] = columns.size();
            }
            return new AbsorbingChain(n, rowStart, columns.stream().mapToInt(Integer::intValue).toArray(),
                    probabilities.stream().mapToDouble(Double::doubleValue).toArray());
        }

        /** Gauss–Jordan elimination with partial pivoting on the states kept. */
        double[][] denseSolve(double[] b, int measures, boolean[] removed) {
            int[] kept = new int[n];
            int[] local = new int[n];
            int size = 0;
            for (int s = 0; s < n; s++) {
                local[s] = -1;
                if (!removed[s]) {
                    local[s] = size;
                    kept[size++] = s;
                }
            }
            double[][] a = new double[size][size + measures];
            for (int i = 0; i < size; i++) {
                int s = kept[i];
                a[i][i] = 1.0;
                for (var entry : rows.get(s).entrySet()) {
                    if (local[entry.getKey()] >= 0) {
                        a[i][local[entry.getKey()]] -= entry.getValue();
                    }
                }
                for (int m = 0; m < measures; m++) {
                    a[i][size + m] = b[s * measures + m];
                }
            }
            for (int k = 0; k < size; k++) {
                int pr = k;
                for (int i = k + 1; i < size; i++) {
                    if (Math.abs(a[i][k]) > Math.abs(a[pr][k])) {
                        pr = i;
                    }
                }
                double[] tmp = a[pr];
                a[pr] = a[k];
                a[k] = tmp;
                double[] pivotRow = a[k];
                double pivot = pivotRow[k];
                for (int j = k; j < size + measures; j++) {
                    pivotRow[j] /= pivot;
                }
                for (int i = 0; i < size; i++) {
                    double[] row = a[i];
                    double f = row[k];
                    if (i != k && f != 0) {
                        for (int j = k; j < size + measures; j++) {
                            row[j] -= f * pivotRow[j];
                        }
                    }
                }
            }
            double[][] x = new double[n][measures];
            for (int k = 0; k < size; k++) {
                for (int m = 0; m < measures; m++) {
                    x[kept[k]][m] = a[k][size + m];
                }
            }
            return x;
        }
    }
}
