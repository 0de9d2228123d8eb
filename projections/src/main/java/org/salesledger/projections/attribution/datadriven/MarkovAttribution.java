package org.salesledger.projections.attribution.datadriven;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Markov-chain attribution by removal effect (Anderl, Becker, von Wangenheim &amp; Schumann 2016; the model of the
 * ChannelAttribution package by Altomare &amp; Loris), solved exactly instead of by simulation.
 *
 * <p><b>The chain.</b> States are {@code (start)}, the channel states, {@code (conversion)} and {@code (null)}. At
 * order 1 a channel state is a channel; at order {@code k} it is a window of {@code k} consecutive touches, the
 * windows sliding one touch at a time over the path as it was recorded, and a path shorter than {@code k} is one
 * state of all its touches (ChannelAttribution's definition). Consecutive equal states are collapsed, so at order 1
 * {@code a > a > b} is {@code a > b}. Each path adds its journeys ({@code conversions + nonConversions}) to every
 * transition along it, from {@code (start)} to its first state, and from its last state its conversions to
 * {@code (conversion)} and its non-conversions to {@code (null)}; transition probabilities are these counts
 * divided by the state's outgoing total.
 *
 * <p><b>Removal effects.</b> Removing a channel removes every state that contains it: transitions into those
 * states go to {@code (null)}. With {@code P} the probability of reaching {@code (conversion)} from
 * {@code (start)}, the removal effect is {@code 1 − P(without the channel) / P}. Both probabilities are solved
 * exactly from {@code (I − Q) x = r} ({@link AbsorbingChain}), one solve per channel.
 *
 * <p><b>Revenue</b> follows ChannelAttribution's {@code var_value}: there, a simulated conversion reached from the
 * last state {@code s} draws its value from the conversions observed to end in {@code s}, and the value removal
 * effect is the share of that simulated value lost without the channel. Its expectation is what is solved here:
 * the reward of state {@code s} is {@code (revenue of the journeys whose last state is s) / (journeys leaving s)},
 * its expected total from {@code (start)} is solved with and without each channel, and the revenue removal effect
 * is the share lost. This is done per currency, and likewise for each currency's conversion count; amounts in
 * different currencies never meet.
 *
 * <p><b>Credits.</b> A channel gets {@code total × removal effect / Σ removal effects} of the conversions (with
 * the conversion removal effects) and of each currency's conversions and revenue (with that currency's own
 * removal effects), as ChannelAttribution normalises them.
 *
 * <p><b>Differences from ChannelAttribution,</b> on purpose: the probabilities are exact, so results are
 * deterministic and carry no simulation noise; simulated paths there are cut at {@code max_step} (by default the
 * longest path in the data) and a cut path counts as not converting, while here every path length counts; paths
 * are given as lists, so no separator parsing or trimming happens here.
 */
public final class MarkovAttribution {

    /** The highest order accepted. */
    public static final int MAX_ORDER = 3;

    private MarkovAttribution() {
    }

    /**
     * Credits the journeys' conversions and revenue to their channels.
     *
     * @param journeys the journeys (any order; equal paths may come separately or summed)
     * @param order    the chain's order, 1 to {@link #MAX_ORDER}
     * @throws IllegalArgumentException if the order is out of range or a journey is null
     */
    public static MarkovResult attribute(List<Journey> journeys, int order) {
        if (order < 1 || order > MAX_ORDER) {
            throw new IllegalArgumentException("order must be between 1 and " + MAX_ORDER + ", was " + order);
        }
        JourneyTable table = JourneyTable.of(journeys);
        Chain chain = Chain.build(table, order);
        int measures = table.measures();
        int channels = table.channels.size();
        int n = chain.states.size();
        AbsorbingChain solver = new AbsorbingChain(n, chain.rowStart, chain.column, chain.probability);

        boolean[] none = new boolean[n];
        AbsorbingChain.Solution full = solver.solve(chain.reward, measures, none);
        double maxResidual = full.relativeResidual();
        double[] total = chain.expected(full.x(), measures);

        double[][] effects = new double[measures][channels];
        for (int c = 0; c < channels; c++) {
            boolean[] removed = chain.statesWith(c);
            if (!any(removed)) {
                continue;
            }
            AbsorbingChain.Solution without = solver.solve(chain.reward, measures, removed);
            maxResidual = Math.max(maxResidual, without.relativeResidual());
            double[] remaining = chain.expected(without.x(), measures);
            for (int m = 0; m < measures; m++) {
                effects[m][c] = total[m] > 0 ? Math.max(0.0, (total[m] - remaining[m]) / total[m]) : 0.0;
            }
        }

        Map<String, Double> removalEffects = new TreeMap<>();
        Map<String, Map<String, Double>> revenueEffects = new TreeMap<>();
        for (int c = 0; c < channels; c++) {
            removalEffects.put(table.channels.get(c), effects[0][c]);
        }
        for (int i = 0; i < table.currencies.size(); i++) {
            Map<String, Double> byChannel = new TreeMap<>();
            for (int c = 0; c < channels; c++) {
                byChannel.put(table.channels.get(c), effects[2 + 2 * i][c]);
            }
            revenueEffects.put(table.currencies.get(i), byChannel);
        }
        return new MarkovResult(CreditAllocation.attribution(table, effects), order, total[0], removalEffects,
                revenueEffects, chain.transitions(table), n, maxResidual);
    }

    private static boolean any(boolean[] flags) {
        for (boolean flag : flags) {
            if (flag) {
                return true;
            }
        }
        return false;
    }

    /** The estimated chain: transient states, sparse {@code Q}, rewards per measure, start distribution. */
    private static final class Chain {
        final List<int[]> states;
        final int[] rowStart;
        final int[] column;
        final double[] probability;
        final double[] start;
        final double[] reward;
        final double[] toConversion;
        final double[] toNull;
        final int channels;

        private Chain(List<int[]> states, int[] rowStart, int[] column, double[] probability, double[] start,
                      double[] reward, double[] toConversion, double[] toNull, int channels) {
            this.states = states;
            this.rowStart = rowStart;
            this.column = column;
            this.probability = probability;
            this.start = start;
            this.reward = reward;
            this.toConversion = toConversion;
            this.toNull = toNull;
            this.channels = channels;
        }

        static Chain build(JourneyTable table, int order) {
            int measures = table.measures();
            int currencies = table.currencies.size();
            Map<Window, Integer> ids = new HashMap<>();
            List<int[]> states = new ArrayList<>();
            Map<Long, Long> edges = new HashMap<>();
            List<Long> startWeight = new ArrayList<>();
            List<long[]> endCounts = new ArrayList<>(); // conversions, non-conversions, per-currency conversions
            List<BigDecimal[]> endRevenue = new ArrayList<>();
            long totalWeight = 0;

            for (JourneyTable.Row row : table.rows) {
                long weight = row.weight();
                if (weight == 0) {
                    continue;
                }
                totalWeight = Math.addExact(totalWeight, weight);
                int[] path = row.path();
                int windows = path.length <= order ? 1 : path.length - order + 1;
                int width = Math.min(order, path.length);
                int previous = -1;
                for (int i = 0; i < windows; i++) {
                    Window window = new Window(Arrays.copyOfRange(path, i, i + width));
                    Integer id = ids.get(window);
                    if (id == null) {
                        id = states.size();
                        ids.put(window, id);
                        states.add(window.channels);
                        startWeight.add(0L);
                        endCounts.add(new long[2 + currencies]);
                        BigDecimal[] revenue = new BigDecimal[currencies];
                        Arrays.fill(revenue, BigDecimal.ZERO);
                        endRevenue.add(revenue);
                    }
                    if (id == previous) {
                        continue;
                    }
                    if (previous < 0) {
                        startWeight.set(id, Math.addExact(startWeight.get(id), weight));
                    } else {
                        edges.merge(((long) previous << 32) | id, weight, Math::addExact);
                    }
                    previous = id;
                }
                long[] counts = endCounts.get(previous);
                counts[0] = Math.addExact(counts[0], row.conversions());
                counts[1] = Math.addExact(counts[1], row.nonConversions());
                BigDecimal[] revenue = endRevenue.get(previous);
                for (int c = 0; c < currencies; c++) {
                    counts[2 + c] = Math.addExact(counts[2 + c], row.currencyConversions()[c]);
                    revenue[c] = revenue[c].add(row.currencyRevenue()[c]);
                }
            }

            int n = states.size();
            long[] out = new long[n];
            int[] degree = new int[n];
            for (Map.Entry<Long, Long> edge : edges.entrySet()) {
                int from = (int) (edge.getKey() >>> 32);
                out[from] = Math.addExact(out[from], edge.getValue());
                degree[from]++;
            }
            for (int s = 0; s < n; s++) {
                out[s] = Math.addExact(out[s], endCounts.get(s)[0] + endCounts.get(s)[1]);
            }
            int[] rowStart = new int[n + 1];
            for (int s = 0; s < n; s++) {
                rowStart[s + 1] = rowStart[s] + degree[s];
            }
            long[] keys = edges.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
            int[] column = new int[keys.length];
            double[] probability = new double[keys.length];
            for (int e = 0; e < keys.length; e++) {
                int from = (int) (keys[e] >>> 32);
                column[e] = (int) keys[e];
                probability[e] = (double) edges.get(keys[e]) / out[from];
            }

            double[] start = new double[n];
            double[] reward = new double[n * measures];
            double[] toConversion = new double[n];
            double[] toNull = new double[n];
            for (int s = 0; s < n; s++) {
                start[s] = (double) startWeight.get(s) / totalWeight;
                long[] counts = endCounts.get(s);
                toConversion[s] = (double) counts[0] / out[s];
                toNull[s] = (double) counts[1] / out[s];
                reward[s * measures] = toConversion[s];
                for (int c = 0; c < currencies; c++) {
                    reward[s * measures + 1 + 2 * c] = (double) counts[2 + c] / out[s];
                    reward[s * measures + 2 + 2 * c] = endRevenue.get(s)[c].doubleValue() / out[s];
                }
            }
            return new Chain(states, rowStart, column, probability, start, reward, toConversion, toNull,
                    table.channels.size());
        }

        /** The expected total of each measure from {@code (start)}, given the states' values {@code x}. */
        double[] expected(double[] x, int measures) {
            double[] total = new double[measures];
            for (int s = 0; s < start.length; s++) {
                if (start[s] == 0) {
                    continue;
                }
                for (int m = 0; m < measures; m++) {
                    total[m] += start[s] * x[s * measures + m];
                }
            }
            return total;
        }

        boolean[] statesWith(int channel) {
            boolean[] with = new boolean[states.size()];
            for (int s = 0; s < with.length; s++) {
                for (int c : states.get(s)) {
                    if (c == channel) {
                        with[s] = true;
                        break;
                    }
                }
            }
            return with;
        }

        List<MarkovResult.Transition> transitions(JourneyTable table) {
            String[] names = new String[states.size()];
            for (int s = 0; s < names.length; s++) {
                StringBuilder name = new StringBuilder();
                for (int c : states.get(s)) {
                    if (name.length() > 0) {
                        name.append(',');
                    }
                    name.append(table.channels.get(c));
                }
                names[s] = name.toString();
            }
            List<MarkovResult.Transition> transitions = new ArrayList<>();
            for (int s = 0; s < names.length; s++) {
                if (start[s] > 0) {
                    transitions.add(new MarkovResult.Transition("(start)", names[s], start[s]));
                }
            }
            for (int s = 0; s < names.length; s++) {
                for (int e = rowStart[s]; e < rowStart[s + 1]; e++) {
                    transitions.add(new MarkovResult.Transition(names[s], names[column[e]], probability[e]));
                }
                if (toConversion[s] > 0) {
                    transitions.add(new MarkovResult.Transition(names[s], "(conversion)", toConversion[s]));
                }
                if (toNull[s] > 0) {
                    transitions.add(new MarkovResult.Transition(names[s], "(null)", toNull[s]));
                }
            }
            transitions.sort(Comparator
                    .comparing((MarkovResult.Transition t) -> !t.from().equals("(start)"))
                    .thenComparing(MarkovResult.Transition::from)
                    .thenComparing(MarkovResult.Transition::to));
            return transitions;
        }
    }

    private record Window(int[] channels) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Window window && Arrays.equals(channels, window.channels);
        }

        @Override
        public int hashCode() {
            return JourneyTable.hash(channels);
        }

        @Override
        public String toString() {
            return Arrays.toString(channels);
        }
    }
}
