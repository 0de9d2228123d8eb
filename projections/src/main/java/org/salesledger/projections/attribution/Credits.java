package org.salesledger.projections.attribution;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Sums of credit by key: what the projection adds to (and takes from) {@code attribution_credit}. A customer's
 * credit is computed from its whole journey; when the journey changes, the old credit is subtracted and the new
 * one added, so the sums never depend on the order in which the customer's actions arrived.
 */
final class Credits {

    static final String DAY = "D";
    static final String MONTH = "M";

    /** One row of {@code attribution_credit}. {@code team} is {@code ""} for none. */
    record Key(String model, int lookbackDays, BigDecimal halfLifeDays, String grain, LocalDate bucket, String region,
               String team, String rep, String channel, String currency) implements Comparable<Key> {

        @Override
        public int compareTo(Key o) {
            int c = model.compareTo(o.model);
            if (c == 0) c = Integer.compare(lookbackDays, o.lookbackDays);
            if (c == 0) c = halfLifeDays.compareTo(o.halfLifeDays);
            if (c == 0) c = grain.compareTo(o.grain);
            if (c == 0) c = bucket.compareTo(o.bucket);
            if (c == 0) c = region.compareTo(o.region);
            if (c == 0) c = team.compareTo(o.team);
            if (c == 0) c = rep.compareTo(o.rep);
            if (c == 0) c = channel.compareTo(o.channel);
            if (c == 0) c = currency.compareTo(o.currency);
            return c;
        }
    }

    /** Conversions and revenue credited, and how many shares make them up. */
    static final class Sum {
        BigDecimal conversions = BigDecimal.ZERO;
        BigDecimal revenue = BigDecimal.ZERO;
        int shares;

        void add(BigDecimal conversions, BigDecimal revenue, int shares) {
            this.conversions = this.conversions.add(conversions);
            this.revenue = this.revenue.add(revenue);
            this.shares += shares;
        }

        boolean isZero() {
            return shares == 0 && conversions.signum() == 0 && revenue.signum() == 0;
        }
    }

    private final Map<Key, Sum> sums = new HashMap<>();

    /**
     * Adds ({@code sign} 1) or subtracts ({@code sign} −1) the credit of every conversion of {@code journey}, for
     * every model under every window of {@code definition}, per day and per month.
     */
    void add(CustomerJourney journey, AttributionDefinition definition, int sign) {
        if (journey.conversions().isEmpty()) {
            return;
        }
        Set<Integer> lookbacks = new TreeSet<>();
        definition.windows().forEach(w -> lookbacks.add(w.lookbackDays()));
        for (Conversion conversion : journey.conversions()) {
            LocalDate day = Micros.utc(conversion.at()).toLocalDate();
            LocalDate month = day.withDayOfMonth(1);
            for (AttributionModel model : AttributionModel.values()) {
                List<Window> windows = new ArrayList<>();
                if (model.usesHalfLife()) {
                    windows.addAll(definition.windows());
                } else {
                    lookbacks.forEach(l -> windows.add(new Window(l, Window.DEFAULT_HALF_LIFE_DAYS)));
                }
                for (Window window : windows) {
                    BigDecimal halfLife = model.usesHalfLife() ? window.halfLifeDays() : BigDecimal.ZERO;
                    journey.credit(conversion, model, window).forEach((channel, share) -> {
                        BigDecimal conversions = sign < 0 ? share.negate() : share;
                        BigDecimal revenue = share.multiply(conversion.amount(), AttributionRules.PRECISION);
                        revenue = sign < 0 ? revenue.negate() : revenue;
                        for (String grain : List.of(DAY, MONTH)) {
                            Key key = new Key(model.code(), window.lookbackDays(), halfLife, grain,
                                    grain.equals(DAY) ? day : month, journey.region(),
                                    journey.team() == null ? "" : journey.team(), journey.rep(), channel,
                                    conversion.currency());
                            sums.computeIfAbsent(key, k -> new Sum()).add(conversions, revenue, sign);
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
