package org.salesledger.projections.attribution.datadriven;

import java.util.Arrays;

/**
 * The transient part of an absorbing Markov chain, {@code Q} (sparse, row-stochastic minus what leaves for the
 * absorbing states), and an exact solver for {@code x = Q x + b}, that is {@code (I − Q) x = b}, with some states
 * removed (held at {@code x = 0}, as if every transition into them went to an absorbing state worth nothing).
 *
 * <p>How it solves: the states are split once into strongly connected components (Tarjan), which come out in
 * reverse topological order, so each component is solved after every component it leads to, with those values
 * final. A component of up to {@link #DENSE_LIMIT} states is solved directly (dense LU with partial pivoting);
 * a larger one by Gauss–Seidel sweeps inside the component until a sweep changes no value of any measure by more
 * than {@code 1e-15} of that measure's largest value (or the changes stop shrinking at rounding level). For an
 * absorbing chain {@code I − Q} is a non-singular M-matrix, so Gauss–Seidel converges; its error after stopping is
 * at most the last change times {@code ρ/(1−ρ)}, {@code ρ} the spectral radius of the component's {@code Q}.
 * Acyclic parts are exact after one pass. Every solve reports its largest residual, each measure relative to its own size.
 */
final class AbsorbingChain {

    /** Components up to this size are solved by dense LU. */
    static final int DENSE_LIMIT = 300;
    static final int MAX_SWEEPS = 1_000_000;
    private static final double TOLERANCE = 1e-15;

    private final int n;
    private final int[] rowStart;
    private final int[] column;
    private final double[] probability;
    /** States ordered component by component, components in reverse topological order. */
    private final int[] order;
    /** {@code componentStart[k]..componentStart[k+1]} index {@link #order} for component {@code k}. */
    private final int[] componentStart;

    /** The result of one solve: {@code x[state * measures + measure]}. */
    record Solution(double[] x, double relativeResidual, long sweeps) {
    }

    AbsorbingChain(int n, int[] rowStart, int[] column, double[] probability) {
        this.n = n;
        this.rowStart = rowStart;
        this.column = column;
        this.probability = probability;
        int[][] components = stronglyConnectedComponents();
        this.order = components[0];
        this.componentStart = components[1];
    }

    int states() {
        return n;
    }

    int components() {
        return componentStart.length - 1;
    }

    int largestComponent() {
        int largest = 0;
        for (int k = 0; k + 1 < componentStart.length; k++) {
            largest = Math.max(largest, componentStart[k + 1] - componentStart[k]);
        }
        return largest;
    }

    /**
     * Solves {@code x = Q x + b} for {@code measures} right-hand sides at once ({@code b[state * measures + m]}),
     * with {@code removed} states held at zero.
     */
    Solution solve(double[] b, int measures, boolean[] removed) {
        double[] x = new double[n * measures];
        long sweeps = 0;
        int[] members = new int[n];
        int[] local = new int[n];
        Arrays.fill(local, -1);
        for (int k = 0; k + 1 < componentStart.length; k++) {
            int size = 0;
            for (int i = componentStart[k]; i < componentStart[k + 1]; i++) {
                int s = order[i];
                if (!removed[s]) {
                    members[size++] = s;
                }
            }
            if (size == 0) {
                continue;
            }
            if (size == 1) {
                solveSingle(members[0], b, measures, removed, x);
                sweeps++;
            } else if (size <= DENSE_LIMIT) {
                solveDense(Arrays.copyOf(members, size), b, measures, removed, x, local);
                sweeps++;
            } else {
                sweeps += solveIteratively(Arrays.copyOf(members, size), b, measures, removed, x);
            }
        }
        return new Solution(x, relativeResidual(x, b, measures, removed), sweeps);
    }

    private void solveSingle(int s, double[] b, int measures, boolean[] removed, double[] x) {
        double self = 0;
        int base = s * measures;
        for (int m = 0; m < measures; m++) {
            x[base + m] = b[base + m];
        }
        for (int e = rowStart[s]; e < rowStart[s + 1]; e++) {
            int t = column[e];
            if (removed[t]) {
                continue;
            }
            if (t == s) {
                self += probability[e];
                continue;
            }
            for (int m = 0; m < measures; m++) {
                x[base + m] += probability[e] * x[t * measures + m];
            }
        }
        if (self != 0) {
            for (int m = 0; m < measures; m++) {
                x[base + m] /= 1.0 - self;
            }
        }
    }

    private void solveDense(int[] members, double[] b, int measures, boolean[] removed, double[] x, int[] local) {
        int size = members.length;
        for (int i = 0; i < size; i++) {
            local[members[i]] = i;
        }
        double[][] a = new double[size][size];
        double[][] rhs = new double[size][measures];
        for (int i = 0; i < size; i++) {
            int s = members[i];
            a[i][i] = 1.0;
            for (int m = 0; m < measures; m++) {
                rhs[i][m] = b[s * measures + m];
            }
            for (int e = rowStart[s]; e < rowStart[s + 1]; e++) {
                int t = column[e];
                if (removed[t]) {
                    continue;
                }
                if (local[t] >= 0) {
                    a[i][local[t]] -= probability[e];
                } else {
                    for (int m = 0; m < measures; m++) {
                        rhs[i][m] += probability[e] * x[t * measures + m];
                    }
                }
            }
        }
        for (int s : members) {
            local[s] = -1;
        }
        luSolve(a, rhs);
        for (int i = 0; i < size; i++) {
            for (int m = 0; m < measures; m++) {
                x[members[i] * measures + m] = rhs[i][m];
            }
        }
    }

    /** Gaussian elimination with partial pivoting, in place; the solution replaces {@code rhs}. */
    static void luSolve(double[][] a, double[][] rhs) {
        int size = a.length;
        int measures = size == 0 ? 0 : rhs[0].length;
        for (int k = 0; k < size; k++) {
            int pivot = k;
            for (int i = k + 1; i < size; i++) {
                if (Math.abs(a[i][k]) > Math.abs(a[pivot][k])) {
                    pivot = i;
                }
            }
            if (a[pivot][k] == 0.0) {
                throw new ArithmeticException("singular system: the chain has states that never reach an end");
            }
            if (pivot != k) {
                double[] row = a[pivot];
                a[pivot] = a[k];
                a[k] = row;
                double[] r = rhs[pivot];
                rhs[pivot] = rhs[k];
                rhs[k] = r;
            }
            double[] pivotRow = a[k];
            double diagonal = pivotRow[k];
            for (int i = k + 1; i < size; i++) {
                double[] row = a[i];
                double factor = row[k] / diagonal;
                if (factor == 0.0) {
                    continue;
                }
                row[k] = 0.0;
                for (int j = k + 1; j < size; j++) {
                    row[j] -= factor * pivotRow[j];
                }
                for (int m = 0; m < measures; m++) {
                    rhs[i][m] -= factor * rhs[k][m];
                }
            }
        }
        for (int k = size - 1; k >= 0; k--) {
            for (int m = 0; m < measures; m++) {
                double sum = rhs[k][m];
                for (int j = k + 1; j < size; j++) {
                    sum -= a[k][j] * rhs[j][m];
                }
                rhs[k][m] = sum / a[k][k];
            }
        }
    }

    private long solveIteratively(int[] members, double[] b, int measures, boolean[] removed, double[] x) {
        double previousChange = Double.POSITIVE_INFINITY;
        double[] acc = new double[measures];
        double[] change = new double[measures];
        double[] scale = new double[measures];
        for (long sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
            Arrays.fill(change, 0.0);
            Arrays.fill(scale, 0.0);
            for (int s : members) {
                double self = 0;
                for (int m = 0; m < measures; m++) {
                    acc[m] = b[s * measures + m];
                }
                for (int e = rowStart[s]; e < rowStart[s + 1]; e++) {
                    int t = column[e];
                    if (removed[t]) {
                        continue;
                    }
                    if (t == s) {
                        self += probability[e];
                        continue;
                    }
                    double p = probability[e];
                    int base = t * measures;
                    for (int m = 0; m < measures; m++) {
                        acc[m] += p * x[base + m];
                    }
                }
                int base = s * measures;
                for (int m = 0; m < measures; m++) {
                    double value = acc[m] / (1.0 - self);
                    change[m] = Math.max(change[m], Math.abs(value - x[base + m]));
                    scale[m] = Math.max(scale[m], Math.abs(value));
                    x[base + m] = value;
                }
            }
            // each measure against its own size: revenue in thousands must not hide probabilities below one
            double relativeChange = 0;
            for (int m = 0; m < measures; m++) {
                if (scale[m] > 0) {
                    relativeChange = Math.max(relativeChange, change[m] / scale[m]);
                }
            }
            if (relativeChange <= TOLERANCE) {
                return sweep;
            }
            if (relativeChange <= 1e-12 && relativeChange >= previousChange) {
                return sweep; // stagnating at rounding level
            }
            previousChange = relativeChange;
        }
        throw new ArithmeticException("the Markov chain solver did not converge in " + MAX_SWEEPS
                + " sweeps over a loop of " + members.length + " states");
    }

    /** The largest residual of any measure relative to that measure's largest value. */
    private double relativeResidual(double[] x, double[] b, int measures, boolean[] removed) {
        double[] residual = new double[measures];
        double[] scale = new double[measures];
        for (int s = 0; s < n; s++) {
            if (removed[s]) {
                continue;
            }
            for (int m = 0; m < measures; m++) {
                double sum = b[s * measures + m];
                for (int e = rowStart[s]; e < rowStart[s + 1]; e++) {
                    if (!removed[column[e]]) {
                        sum += probability[e] * x[column[e] * measures + m];
                    }
                }
                residual[m] = Math.max(residual[m], Math.abs(x[s * measures + m] - sum));
                scale[m] = Math.max(scale[m], Math.abs(x[s * measures + m]));
            }
        }
        double relative = 0;
        for (int m = 0; m < measures; m++) {
            relative = Math.max(relative, scale[m] == 0 ? residual[m] : residual[m] / scale[m]);
        }
        return relative;
    }

    /** Tarjan's algorithm without recursion: {states in component order, component starts}. */
    private int[][] stronglyConnectedComponents() {
        int[] index = new int[n];
        int[] low = new int[n];
        Arrays.fill(index, -1);
        boolean[] onStack = new boolean[n];
        int[] stack = new int[n];
        int stackSize = 0;
        int[] calls = new int[n];
        int[] nextEdge = new int[n];
        int[] ordered = new int[n];
        int orderedSize = 0;
        int[] starts = new int[n + 1];
        int components = 0;
        int counter = 0;
        for (int root = 0; root < n; root++) {
            if (index[root] != -1) {
                continue;
            }
            int callSize = 0;
            index[root] = low[root] = counter++;
            stack[stackSize++] = root;
            onStack[root] = true;
            nextEdge[root] = rowStart[root];
            calls[callSize++] = root;
            while (callSize > 0) {
                int v = calls[callSize - 1];
                if (nextEdge[v] < rowStart[v + 1]) {
                    int w = column[nextEdge[v]++];
                    if (index[w] == -1) {
                        index[w] = low[w] = counter++;
                        stack[stackSize++] = w;
                        onStack[w] = true;
                        nextEdge[w] = rowStart[w];
                        calls[callSize++] = w;
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                } else {
                    callSize--;
                    if (callSize > 0) {
                        int u = calls[callSize - 1];
                        low[u] = Math.min(low[u], low[v]);
                    }
                    if (low[v] == index[v]) {
                        starts[components++] = orderedSize;
                        int w;
                        do {
                            w = stack[--stackSize];
                            onStack[w] = false;
                            ordered[orderedSize++] = w;
                        } while (w != v);
                    }
                }
            }
        }
        starts[components] = orderedSize;
        return new int[][] {ordered, Arrays.copyOf(starts, components + 1)};
    }
}
