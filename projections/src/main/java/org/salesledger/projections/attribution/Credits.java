package org.salesledger.projections.attribution;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums of credit by key: what the projection adds to (and takes from) {@code attribution_credit} — per
 * precomputed window, per day and owner, per day and per month, each model side by side. A customer's credit is
 * computed from its whole journey; when the journey changes, the old credit is subtracted and the new one added,
 * so the sums never depend on the order in which the customer's actions arrived.
 */
final class Credits {

    /** Per day and owner: for the {@code rep} filter. */
    static final String DAY_BY_OWNER = "R";
    /** Per day, over all owners ({@code owner_rep_id} is {@code ""}). */
    static final String DAY = "D";
    /** Per month (bucket = its first day), over all owners. */
    static final String MONTH = "M";
    private static final List<String> GRAINS = List.of(DAY_BY_OWNER, DAY, MONTH);
    private static final AttributionModel[] MODELS = AttributionModel.values();

    /** One row of {@code attribution_credit}. {@code team} is {@code ""} for none, {@code rep} {@code ""} but in R. */
    record Key(int lookbackDays, BigDecimal halfLifeDays, String grain, String rep, LocalDate bucket, String region,
               String team, String channel, String currency) implements Comparable<Key> {

        @Override
        public int compareTo(Key o) {
            int c = Integer.compare(lookbackDays, o.lookbackDays);
            if (c == 0) c = halfLifeDays.compareTo(o.halfLifeDays);
            if (c == 0) c = grain.compareTo(o.grain);
            if (c == 0) c = rep.compareTo(o.rep);
            if (c == 0) c = bucket.compareTo(o.bucket);
            if (c == 0) c = region.compareTo(o.region);
            if (c == 0) c = team.compareTo(o.team);
            if (c == 0) c = channel.compareTo(o.channel);
            if (c == 0) c = currency.compareTo(o.currency);
            return c;
        }
    }

    /** Per model (in {@link AttributionModel} order): conversions and revenue credited, and the shares in them. */
    static final class Sum {
        final BigDecimal[] conversions = new BigDecimal[MODELS.length];
        final BigDecimal[] revenue = new BigDecimal[MODELS.length];
        final int[] shares = new int[MODELS.length];

        Sum() {
            java.util.Arrays.fill(conversions, BigDecimal.ZERO);
            java.util.Arrays.fill(revenue, BigDecimal.ZERO);
        }

        void add(int model, BigDecimal conversions, BigDecimal revenue, int shares) {
            this.conversions[model] = this.conversions[model].add(conversions);
            this.revenue[model] = this.revenue[model].add(revenue);
            this.shares[model] += shares;
        }

        boolean isZero() {
            for (int m = 0; m < MODELS.length; m++) {
                if (shares[m] != 0 || conversions[m].signum() != 0 || revenue[m].signum() != 0) {
                    return false;
                }
            }
            return true;
        }

        /** Whether this change may leave the row without shares (then it is deleted if so). */
        boolean removesShares() {
            for (int share : shares) {
                if (share < 0) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Map<Key, Sum> sums = new HashMap<>();

    /**
     * Adds ({@code sign} 1) or subtracts ({@code sign} −1) the credit of every conversion of {@code journey}, for
     * every model under every window of {@code definition}, per day and owner, per day and per month.
     */
    void add(CustomerJourney journey, AttributionDefinition definition, int sign) {
        if (journey.conversions().isEmpty()) {
            return;
        }
        String team = journey.team() == null ? "" : journey.team();
        for (Conversion conversion : journey.conversions()) {
            LocalDate day = Micros.utc(conversion.at()).toLocalDate();
            LocalDate month = day.withDayOfMonth(1);
            for (Window window : definition.windows()) {
                // the rows this conversion counts in, but for the channel
                Key[] rows = new Key[GRAINS.size()];
                for (int g = 0; g < rows.length; g++) {
                    String grain = GRAINS.get(g);
                    rows[g] = new Key(window.lookbackDays(), window.halfLifeDays(), grain,
                            grain.equals(DAY_BY_OWNER) ? journey.rep() : "", grain.equals(MONTH) ? month : day,
                            journey.region(), team, "", conversion.currency());
                }
                for (int m = 0; m < MODELS.length; m++) {
                    int model = m;
                    journey.credit(conversion, MODELS[m], window).forEach((channel, share) -> {
                        BigDecimal revenue = share.multiply(conversion.amount(), AttributionRules.PRECISION);
                        BigDecimal conversions = sign < 0 ? share.negate() : share;
                        BigDecimal signedRevenue = sign < 0 ? revenue.negate() : revenue;
                        for (Key row : rows) {
                            Key key = new Key(row.lookbackDays(), row.halfLifeDays(), row.grain(), row.rep(),
                                    row.bucket(), row.region(), row.team(), channel, row.currency());
                            sums.computeIfAbsent(key, k -> new Sum()).add(model, conversions, signedRevenue, sign);
                        }
                    });
                }
            }
        }
    }

    /** The sums that change something, in key order (the order rows are locked in: no deadlock between writers). */
    List<Map.Entry<Key, Sum>> changes() {
        List<Map.Entry<Key, Sum>> changes = new ArrayList<>();
        sums.entrySet().stream().filter(e -> !e.getValue().isZero()).sorted(Map.Entry.comparingByKey())
                .forEach(changes::add);
        return changes;
    }
}
