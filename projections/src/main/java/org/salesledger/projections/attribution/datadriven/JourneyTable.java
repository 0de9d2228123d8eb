package org.salesledger.projections.attribution.datadriven;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The journeys summed per distinct path, with channels and currencies numbered in name order and the rows in a
 * canonical order, so that every later floating-point sum runs in the same order whatever the input order was.
 * Counts are summed as {@code long}s and amounts as {@code BigDecimal}s: exact.
 *
 * <p>A row carries "measures": {@code 0} is its conversions; for the currency numbered {@code i},
 * {@code 1 + 2i} is its conversions in that currency and {@code 2 + 2i} its revenue in it.
 */
final class JourneyTable {

    final List<String> channels;
    final List<String> currencies;
    final List<Row> rows;
    final long totalConversions;
    final long[] currencyConversions;
    final BigDecimal[] currencyRevenue;

    /** One distinct path (or channel set) with its summed outcomes. */
    record Row(int[] path, long conversions, long nonConversions, long[] currencyConversions,
               BigDecimal[] currencyRevenue) {

        long weight() {
            return Math.addExact(conversions, nonConversions);
        }

        double measure(int measure) {
            if (measure == 0) {
                return conversions;
            }
            int currency = (measure - 1) / 2;
            return (measure - 1) % 2 == 0 ? currencyConversions[currency] : currencyRevenue[currency].doubleValue();
        }
    }

    private JourneyTable(List<String> channels, List<String> currencies, List<Row> rows) {
        this.channels = channels;
        this.currencies = currencies;
        this.rows = rows;
        long conversions = 0;
        long[] byCurrency = new long[currencies.size()];
        BigDecimal[] revenue = new BigDecimal[currencies.size()];
        Arrays.fill(revenue, BigDecimal.ZERO);
        for (Row row : rows) {
            conversions = Math.addExact(conversions, row.conversions);
            for (int i = 0; i < byCurrency.length; i++) {
                byCurrency[i] = Math.addExact(byCurrency[i], row.currencyConversions[i]);
                revenue[i] = revenue[i].add(row.currencyRevenue[i]);
            }
        }
        this.totalConversions = conversions;
        this.currencyConversions = byCurrency;
        this.currencyRevenue = revenue;
    }

    int measures() {
        return 1 + 2 * currencies.size();
    }

    /** The total of one measure over all rows, as a double. */
    double total(int measure) {
        if (measure == 0) {
            return totalConversions;
        }
        int currency = (measure - 1) / 2;
        return (measure - 1) % 2 == 0 ? currencyConversions[currency] : currencyRevenue[currency].doubleValue();
    }

    static JourneyTable of(List<Journey> journeys) {
        if (journeys == null) {
            throw new IllegalArgumentException("journeys are required");
        }
        Map<String, Integer> seenChannels = new HashMap<>();
        List<String> channelsSeen = new ArrayList<>();
        TreeSet<String> currencySet = new TreeSet<>();
        for (Journey journey : journeys) {
            if (journey == null) {
                throw new IllegalArgumentException("journeys must not contain null");
            }
            if (!journey.revenueByCurrency().isEmpty()) {
                currencySet.addAll(journey.revenueByCurrency().keySet());
            }
        }
        List<String> currencies = List.copyOf(currencySet);
        Map<String, Integer> currencyIndex = index(currencies);

        Map<Key, Accumulator> byPath = new HashMap<>();
        for (Journey journey : journeys) {
            if (journey.conversions() == 0 && journey.nonConversions() == 0) {
                continue; // no journey took this path
            }
            List<String> path = journey.channels();
            int[] ids = new int[path.size()];
            for (int i = 0; i < ids.length; i++) {
                Integer id = seenChannels.get(path.get(i));
                if (id == null) {
                    id = channelsSeen.size();
                    seenChannels.put(path.get(i), id);
                    channelsSeen.add(path.get(i));
                }
                ids[i] = id;
            }
            byPath.computeIfAbsent(new Key(ids), k -> new Accumulator(currencies.size())).add(journey, currencyIndex);
        }

        // renumber channels in name order, then sort the rows canonically
        List<String> channels = channelsSeen.stream().sorted().toList();
        Map<String, Integer> channelIndex = index(channels);
        int[] renumber = new int[channelsSeen.size()];
        for (int i = 0; i < renumber.length; i++) {
            renumber[i] = channelIndex.get(channelsSeen.get(i));
        }
        List<Row> rows = new ArrayList<>(byPath.size());
        for (Map.Entry<Key, Accumulator> entry : byPath.entrySet()) {
            int[] ids = entry.getKey().ids.clone();
            for (int i = 0; i < ids.length; i++) {
                ids[i] = renumber[ids[i]];
            }
            rows.add(entry.getValue().toRow(ids));
        }
        rows.sort(Comparator.comparing(Row::path, Arrays::compare));
        return new JourneyTable(channels, currencies, List.copyOf(rows));
    }

    /** The same journeys summed per set of distinct channels; a row's path is the set, in ascending ids. */
    JourneyTable byChannelSet() {
        Map<Key, Accumulator> bySet = new HashMap<>();
        for (Row row : rows) {
            int[] set = Arrays.stream(row.path).distinct().sorted().toArray();
            bySet.computeIfAbsent(new Key(set), k -> new Accumulator(currencies.size())).add(row);
        }
        List<Row> sets = new ArrayList<>(bySet.size());
        bySet.forEach((key, accumulator) -> sets.add(accumulator.toRow(key.ids)));
        sets.sort(Comparator.comparing(Row::path, Arrays::compare));
        return new JourneyTable(channels, currencies, List.copyOf(sets));
    }

    /**
     * A hash of small ids that spreads well: {@code Arrays.hashCode} makes many short paths over few channels
     * collide ({@code [0, 31]} and {@code [1, 0]}), which turns hash buckets into trees.
     */
    static int hash(int[] ids) {
        long h = 0x9E3779B97F4A7C15L;
        for (int id : ids) {
            h = (h ^ id) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return (int) (h ^ (h >>> 32));
    }

    private static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        return index;
    }

    private record Key(int[] ids) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Arrays.equals(ids, key.ids);
        }

        @Override
        public int hashCode() {
            return hash(ids);
        }

        @Override
        public String toString() {
            return Arrays.toString(ids);
        }
    }

    private static final class Accumulator {
        long conversions;
        long nonConversions;
        final long[] currencyConversions;
        final BigDecimal[] currencyRevenue;

        Accumulator(int currencies) {
            currencyConversions = new long[currencies];
            currencyRevenue = new BigDecimal[currencies];
            Arrays.fill(currencyRevenue, BigDecimal.ZERO);
        }

        void add(Journey journey, Map<String, Integer> currencyIndex) {
            conversions = Math.addExact(conversions, journey.conversions());
            nonConversions = Math.addExact(nonConversions, journey.nonConversions());
            if (journey.revenueByCurrency().isEmpty()) {
                return;
            }
            for (Map.Entry<String, Journey.Revenue> entry : journey.revenueByCurrency().entrySet()) {
                int i = currencyIndex.get(entry.getKey());
                currencyConversions[i] = Math.addExact(currencyConversions[i], entry.getValue().conversions());
                currencyRevenue[i] = currencyRevenue[i].add(entry.getValue().amount());
            }
        }

        void add(Row row) {
            conversions = Math.addExact(conversions, row.conversions);
            nonConversions = Math.addExact(nonConversions, row.nonConversions);
            for (int i = 0; i < currencyConversions.length; i++) {
                currencyConversions[i] = Math.addExact(currencyConversions[i], row.currencyConversions[i]);
                currencyRevenue[i] = currencyRevenue[i].add(row.currencyRevenue[i]);
            }
        }

        Row toRow(int[] path) {
            return new Row(path, conversions, nonConversions, currencyConversions.clone(), currencyRevenue.clone());
        }
    }
}
