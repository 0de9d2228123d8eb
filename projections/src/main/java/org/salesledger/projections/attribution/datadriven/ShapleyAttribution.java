package org.salesledger.projections.attribution.datadriven;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shapley-value attribution over channel sets, exact at any size, and the simplified Shapley value of Zhao,
 * Mahboobi &amp; Bagheri (2018).
 *
 * <p><b>The characteristic function.</b> Journeys are grouped by their set of distinct channels (order and repeats
 * ignored). For a set {@code S}, {@code v(S)} is the conversion rate of the journeys whose channel set is exactly
 * {@code S}: {@code conversions / (conversions + nonConversions)}. A set no journey has is worth {@code 0}, and so
 * is the empty set {@code v(∅) = 0} (every journey has a channel; a conversion without touches belongs to a channel
 * such as {@code (none)}).
 *
 * <p><b>The games.</b> The journeys with channel set {@code T} converted at rate {@code v(T)}. That rate is shared
 * among the channels of {@code T} by their Shapley values in the game on the players {@code T} with the worth
 * {@code v(S)} for each {@code S ⊆ T}: a channel earns what adding it to the channels before it adds to the
 * conversion rate, averaged over all orders. By efficiency those values add up to {@code v(T) − v(∅) = v(T)}, so
 * channel {@code j} gets the share {@code φ_j(T) / v(T)} of the conversions, of each currency's conversions and of
 * each currency's revenue of the journeys with set {@code T}; a channel's credit is the sum over the sets it is in.
 * Credits therefore add up to the totals exactly (revenue to the last digit, see {@link CreditAllocation}).
 * A channel whose presence lowers the conversion rate has a negative Shapley value and gets a negative share
 * (the others then get more than the whole); this is the method, not an error, and it is kept.
 *
 * <p>Why one game per channel set and not one over all channels: in a game over all channels, efficiency gives
 * {@code Σ φ = v(all channels)}, the conversion rate of journeys that touched every channel — as a rule no journey
 * did, so the values add up to 0 and cannot be scaled to the conversions.
 *
 * <p><b>Exact at any size.</b> {@code v} is zero except on the observed sets, so the Shapley sum has only those
 * terms: with {@code t = |T|} and {@code s = |S|}, an observed {@code S ⊆ T} adds
 * {@code v(S)·(s−1)!(t−s)!/t!} to each channel in {@code S} and subtracts {@code v(S)·s!(t−s−1)!/t!} from each
 * channel of {@code T} not in {@code S}. That is the standard subset formula summed over the non-zero worths only:
 * no sampling and no {@code 2^t} enumeration are needed, whatever the number of channels (the observed subsets of
 * a set are found by enumerating its subsets or scanning the observed sets, whichever is fewer).
 *
 * <p><b>Simplified.</b> Zhao et al. take as worth of a coalition the conversions of all journeys whose channels lie
 * within it, {@code v(S) = Σ_{T ⊆ S} conversions(T)}; its Shapley value reduces to
 * {@code φ_j = Σ_{T ∋ j} conversions(T) / |T|}: each conversion split equally among the distinct channels of its
 * journey. {@link #simplified} computes that; revenue is split the same way.
 */
public final class ShapleyAttribution {

    private ShapleyAttribution() {
    }

    /** Shapley-value credits of the journeys' conversions and revenue, per channel. */
    public static Attribution attribute(List<Journey> journeys) {
        JourneyTable sets = JourneyTable.of(journeys).byChannelSet();
        int channels = sets.channels.size();
        int words = (channels + 63) / 64;
        Map<Bits, Double> rates = new HashMap<>();
        for (JourneyTable.Row row : sets.rows) {
            if (row.conversions() > 0) {
                rates.put(Bits.of(row.path(), words), (double) row.conversions() / row.weight());
            }
        }
        List<Map.Entry<Bits, Double>> observed = sets.rows.stream()
                .filter(row -> row.conversions() > 0)
                .map(row -> Map.entry(Bits.of(row.path(), words), (double) row.conversions() / row.weight()))
                .toList();

        double[][] weights = new double[sets.measures()][channels];
        for (JourneyTable.Row row : sets.rows) {
            if (row.conversions() == 0) {
                continue;
            }
            int[] set = row.path();
            double[] phi = shapleyOfSet(set, words, rates, observed);
            double rate = rates.get(Bits.of(set, words));
            credit(weights, sets, row, set, phi, rate);
        }
        return CreditAllocation.attribution(sets, weights);
    }

    /**
     * The simplified Shapley value of Zhao et al. (2018): each journey's conversions and revenue split equally among
     * its distinct channels.
     */
    public static Attribution simplified(List<Journey> journeys) {
        JourneyTable sets = JourneyTable.of(journeys).byChannelSet();
        double[][] weights = new double[sets.measures()][sets.channels.size()];
        for (JourneyTable.Row row : sets.rows) {
            double[] equal = new double[row.path().length];
            Arrays.fill(equal, 1.0);
            credit(weights, sets, row, row.path(), equal, equal.length);
        }
        return CreditAllocation.attribution(sets, weights);
    }

    private static void credit(double[][] weights, JourneyTable sets, JourneyTable.Row row, int[] set, double[] phi,
                               double total) {
        for (int m = 0; m < weights.length; m++) {
            double amount = row.measure(m);
            if (amount == 0) {
                continue;
            }
            for (int i = 0; i < set.length; i++) {
                weights[m][set[i]] += amount * (phi[i] / total);
            }
        }
    }

    /** The Shapley values of the channels of {@code set} (in its order) in the game on {@code set}. */
    private static double[] shapleyOfSet(int[] set, int words, Map<Bits, Double> rates,
                                         List<Map.Entry<Bits, Double>> observed) {
        int t = set.length;
        double[] phi = new double[t];
        double outside = 0; // subtracted from every channel of the set, given back to members below
        if (t < 31 && (1L << t) <= observed.size()) {
            long all = (1L << t) - 1;
            for (long sub = all; sub > 0; sub = (sub - 1) & all) {
                long mask = sub;
                long[] bits = new long[words];
                int s = 0;
                for (int i = 0; i < t; i++) {
                    if ((sub & (1L << i)) != 0) {
                        bits[set[i] >>> 6] |= 1L << set[i];
                        s++;
                    }
                }
                Double rate = rates.get(new Bits(bits));
                if (rate != null) {
                    outside += addSubset(phi, t, s, rate, i -> (mask & (1L << i)) != 0);
                }
            }
        } else {
            Bits whole = Bits.of(set, words);
            for (Map.Entry<Bits, Double> entry : observed) {
                Bits subset = entry.getKey();
                if (subset.within(whole)) {
                    outside += addSubset(phi, t, subset.count(), entry.getValue(), i -> subset.has(set[i]));
                }
            }
        }
        for (int i = 0; i < t; i++) {
            phi[i] -= outside;
        }
        return phi;
    }

    private interface Membership {
        boolean contains(int localIndex);
    }

    /**
     * Adds an observed subset's terms: {@code +v·(s−1)!(t−s)!/t!} to members, {@code −v·s!(t−s−1)!/t!} to the
     * others. Returns what the others lose; it is taken from everybody afterwards, and given back to the members
     * here, to touch each member once.
     */
    private static double addSubset(double[] phi, int t, int s, double rate, Membership members) {
        if (s == t) {
            for (int i = 0; i < t; i++) {
                phi[i] += rate / t;
            }
            return 0.0;
        }
        double subsets = ShapleyValues.binomial(t, s);
        double in = rate / (subsets * s);
        double out = rate / (subsets * (t - s));
        for (int i = 0; i < t; i++) {
            if (members.contains(i)) {
                phi[i] += in + out;
            }
        }
        return out;
    }

    /** A set of channel ids as a bit set. */
    private record Bits(long[] words) {
        static Bits of(int[] ids, int words) {
            long[] bits = new long[words];
            for (int id : ids) {
                bits[id >>> 6] |= 1L << id;
            }
            return new Bits(bits);
        }

        boolean within(Bits other) {
            for (int i = 0; i < words.length; i++) {
                if ((words[i] & ~other.words[i]) != 0) {
                    return false;
                }
            }
            return true;
        }

        boolean has(int id) {
            return (words[id >>> 6] & (1L << id)) != 0;
        }

        int count() {
            int count = 0;
            for (long word : words) {
                count += Long.bitCount(word);
            }
            return count;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Bits bits && Arrays.equals(words, bits.words);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(words);
        }
    }
}
