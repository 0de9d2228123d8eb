package org.salesledger.projections.funnel;

import static org.salesledger.projections.jooq.Tables.FUNNEL_CUSTOMER;
import static org.salesledger.projections.jooq.Tables.FUNNEL_STAGE_STAY;
import static org.salesledger.projections.jooq.Tables.FUNNEL_STAY_TALLY;
import static org.salesledger.projections.jooq.Tables.FUNNEL_TALLY;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.lifecycle.Stage;
import org.springframework.stereotype.Repository;

/**
 * Answers the funnel with two grouped queries (counts by stage and furthest stage, average stay by stage), whatever
 * the number of events behind it. A funnel selected by at most one of region, team, rep and channel (and any
 * registration dates), broken down by that same dimension or by month or not at all, is read from the
 * pre-aggregated tallies ({@code funnel_tally}, {@code funnel_stay_tally}: rows per dimension value, registration
 * day, stage and furthest rank), whose size does not grow with the number of customers; any other combination is
 * counted from {@code funnel_customer} (docs/adr/0015). The caller's scope is one more selection: a region's reads
 * the {@code region} cells, a set of owners' adds up the {@code rep} cells of its reps.
 */
@Repository
class FunnelQueries implements FunnelReadModel {

    static final String NONE = "(none)";
    private static final List<Stage> ORDERED = List.of(Stage.FIRST_CONTACT, Stage.NEEDS_CONFIRMED,
            Stage.PROPOSAL_SENT, Stage.PRICE_OBJECTION, Stage.TRIAL_REQUESTED, Stage.CONTRACT_SIGNED);
    private static final Field<String> ALL = DSL.inline("").as("group_key");
    private static final double MICROS_PER_DAY = 86_400_000_000.0;

    private final DSLContext db;

    FunnelQueries(DSLContext db) {
        this.db = db;
    }

    @Override
    public Funnel funnel(Scope scope, Filter filter) {
        Map<String, Tally> tallies = tally(scope, filter, null);
        return tallies.getOrDefault("", new Tally()).funnel();
    }

    @Override
    public List<Group> funnelBy(Scope scope, Filter filter, Dimension by) {
        List<Group> groups = new ArrayList<>();
        tally(scope, filter, by).forEach((key, tally) -> groups.add(new Group(key, tally.funnel())));
        return groups;
    }

    /**
     * The funnels by group key ({@code ""} without a breakdown), from the tallies when one dimension suffices. The
     * scope is one more selection: a region's is the {@code region} dimension, a set of owners' the sum of their
     * {@code rep} cells (a customer has exactly one owner, so the sum counts each once).
     */
    private Map<String, Tally> tally(Scope scope, Filter filter, Dimension by) {
        Map<String, Set<String>> selected = selected(scope, filter);
        if (selected == null) {
            return new TreeMap<>(); // the filter selects nothing the scope covers
        }
        Slice slice = Slice.of(selected, by);
        return slice != null ? fromTallies(slice, filter, by)
                : fromCustomers(where(scope, filter), by == null ? ALL : key(by));
    }

    /**
     * The values each tally dimension must have for a customer to count: the filter's, narrowed by the scope's;
     * {@code null} when they leave no customer.
     */
    static Map<String, Set<String>> selected(Scope scope, Filter filter) {
        Map<String, Set<String>> selected = new LinkedHashMap<>();
        if (filter.region() != null) {
            selected.put("region", Set.of(filter.region()));
        }
        if (filter.team() != null) {
            selected.put("team", Set.of(filter.team()));
        }
        if (filter.rep() != null) {
            selected.put("rep", Set.of(filter.rep()));
        }
        if (filter.channel() != null) {
            selected.put("channel", Set.of(filter.channel()));
        }
        if (scope instanceof Scope.Region region) {
            narrow(selected, "region", Set.of(region.region()));
        } else if (scope instanceof Scope.Owners owners) {
            narrow(selected, "rep", owners.reps());
        }
        return selected.values().stream().anyMatch(Set::isEmpty) ? null : selected;
    }

    private static void narrow(Map<String, Set<String>> selected, String dimension, Set<String> values) {
        Set<String> kept = new TreeSet<>(values);
        Set<String> before = selected.get(dimension);
        if (before != null) {
            kept.retainAll(before);
        }
        selected.put(dimension, kept);
    }

    /**
     * Which rows of the tallies answer a query: one dimension ({@code all} when none is selected), the values the
     * filter and scope select in it, if any ({@code null}: every value). {@code null} when the query needs two
     * dimensions at once.
     */
    record Slice(List<String> dimensions, Set<String> values) {

        static Slice of(Map<String, Set<String>> selected, Dimension by) {
            String grouped = by == null || by == Dimension.MONTH ? null : by.name().toLowerCase(Locale.ROOT);
            if (selected.size() > 1 || (grouped != null && !selected.isEmpty() && !selected.containsKey(grouped))) {
                return null;
            }
            if (!selected.isEmpty()) {
                Map.Entry<String, Set<String>> only = selected.entrySet().iterator().next();
                return new Slice(List.of(only.getKey()), only.getValue());
            }
            if (grouped == null) {
                return new Slice(List.of("all"), null);
            }
            // customers without a team, or without an owner (in the public pool), are counted under their own
            // dimension: they are the breakdown's "(none)"
            return new Slice(grouped.equals("team") ? List.of("team", "team_none")
                    : grouped.equals("rep") ? List.of("rep", "rep_none") : List.of(grouped), null);
        }
    }

    private Map<String, Tally> fromTallies(Slice slice, Filter filter, Dimension by) {
        Map<String, Tally> tallies = new TreeMap<>();
        Field<String> key = tallyKey(by, FUNNEL_TALLY.DIMENSION, FUNNEL_TALLY.VALUE, FUNNEL_TALLY.DAY);
        db.select(key, FUNNEL_TALLY.STAGE, FUNNEL_TALLY.FURTHEST_RANK, DSL.sum(FUNNEL_TALLY.CUSTOMERS))
                .from(FUNNEL_TALLY)
                .where(tallyWhere(slice, filter, FUNNEL_TALLY.DIMENSION, FUNNEL_TALLY.VALUE, FUNNEL_TALLY.DAY))
                .groupBy(key, FUNNEL_TALLY.STAGE, FUNNEL_TALLY.FURTHEST_RANK)
                .forEach(r -> {
                    long count = r.value4().longValue();
                    if (count != 0) {
                        tallies.computeIfAbsent(r.value1(), k -> new Tally())
                                .add(Stage.valueOf(r.value2()), r.value3(), count);
                    }
                });
        Field<String> stayKey = tallyKey(by, FUNNEL_STAY_TALLY.DIMENSION, FUNNEL_STAY_TALLY.VALUE,
                FUNNEL_STAY_TALLY.DAY);
        db.select(stayKey, FUNNEL_STAY_TALLY.STAGE, DSL.sum(FUNNEL_STAY_TALLY.STAYS), DSL.sum(FUNNEL_STAY_TALLY.MICROS))
                .from(FUNNEL_STAY_TALLY)
                .where(tallyWhere(slice, filter, FUNNEL_STAY_TALLY.DIMENSION, FUNNEL_STAY_TALLY.VALUE,
                        FUNNEL_STAY_TALLY.DAY))
                .groupBy(stayKey, FUNNEL_STAY_TALLY.STAGE)
                .forEach(r -> {
                    Tally tally = tallies.get(r.value1());
                    if (tally != null && r.value3().signum() > 0) {
                        tally.averageDays.put(Stage.valueOf(r.value2()),
                                r.value4().doubleValue() / r.value3().doubleValue() / MICROS_PER_DAY);
                    }
                });
        return tallies;
    }

    /** The group key of a tally row: none, the month of its registration day, or its dimension value. */
    private static Field<String> tallyKey(Dimension by, Field<String> dimension, Field<String> value,
                                          Field<LocalDate> day) {
        Field<String> key = by == null ? DSL.inline("")
                : by == Dimension.MONTH ? DSL.field("to_char({0}, 'YYYY-MM')", SQLDataType.VARCHAR, day)
                : DSL.when(dimension.in("team_none", "rep_none"), DSL.inline(NONE)).otherwise(value);
        return key.as("group_key");
    }

    private static Condition tallyWhere(Slice slice, Filter filter, Field<String> dimension, Field<String> value,
                                        Field<LocalDate> day) {
        return dimension.in(slice.dimensions())
                .and(slice.values() == null ? DSL.noCondition() : value.in(slice.values()))
                .and(filter.from() == null ? DSL.noCondition() : day.ge(filter.from()))
                .and(filter.to() == null ? DSL.noCondition() : day.lt(filter.to()));
    }

    private Map<String, Tally> fromCustomers(Condition where, Field<String> key) {
        Map<String, Tally> tallies = new TreeMap<>();
        db.select(key, FUNNEL_CUSTOMER.STAGE, FUNNEL_CUSTOMER.FURTHEST_RANK, DSL.count())
                .from(FUNNEL_CUSTOMER)
                .where(where)
                .groupBy(key, FUNNEL_CUSTOMER.STAGE, FUNNEL_CUSTOMER.FURTHEST_RANK)
                .forEach(r -> tallies.computeIfAbsent(keyOf(r.value1()), k -> new Tally())
                        .add(Stage.valueOf(r.value2()), r.value3(), r.value4()));
        Field<Double> days = DSL.field("avg(greatest(0, extract(epoch from {0} - {1})) / 86400.0)",
                SQLDataType.DOUBLE, FUNNEL_STAGE_STAY.EXITED_AT, FUNNEL_STAGE_STAY.ENTERED_AT);
        db.select(key, FUNNEL_STAGE_STAY.STAGE, days)
                .from(FUNNEL_STAGE_STAY)
                .join(FUNNEL_CUSTOMER).on(FUNNEL_CUSTOMER.CUSTOMER_ID.eq(FUNNEL_STAGE_STAY.CUSTOMER_ID))
                .where(where.and(FUNNEL_STAGE_STAY.EXITED_AT.isNotNull()))
                .groupBy(key, FUNNEL_STAGE_STAY.STAGE)
                .forEach(r -> {
                    Tally tally = tallies.get(keyOf(r.value1()));
                    if (tally != null) {
                        tally.averageDays.put(Stage.valueOf(r.value2()), r.value3());
                    }
                });
        return tallies;
    }

    private static String keyOf(String value) {
        return value == null ? NONE : value;
    }

    private static Field<String> key(Dimension by) {
        Field<String> field = switch (by) {
            case REGION -> FUNNEL_CUSTOMER.REGION;
            case TEAM -> FUNNEL_CUSTOMER.TEAM;
            case REP -> FUNNEL_CUSTOMER.OWNER_REP_ID;
            case CHANNEL -> FUNNEL_CUSTOMER.CHANNEL;
            case MONTH -> DSL.field("to_char({0} at time zone 'UTC', 'YYYY-MM')", SQLDataType.VARCHAR,
                    FUNNEL_CUSTOMER.REGISTERED_AT);
        };
        return field.as("group_key");
    }

    /** The customers of {@code funnel_customer} that the scope covers and the filter selects. */
    static Condition where(Scope scope, Filter filter) {
        Condition where = covered(scope);
        if (filter.region() != null) {
            where = where.and(FUNNEL_CUSTOMER.REGION.eq(filter.region()));
        }
        if (filter.team() != null) {
            where = where.and(FUNNEL_CUSTOMER.TEAM.eq(filter.team()));
        }
        if (filter.rep() != null) {
            where = where.and(FUNNEL_CUSTOMER.OWNER_REP_ID.eq(filter.rep()));
        }
        if (filter.channel() != null) {
            where = where.and(FUNNEL_CUSTOMER.CHANNEL.eq(filter.channel()));
        }
        if (filter.from() != null) {
            where = where.and(FUNNEL_CUSTOMER.REGISTERED_AT.ge(startOf(filter.from())));
        }
        if (filter.to() != null) {
            where = where.and(FUNNEL_CUSTOMER.REGISTERED_AT.lt(startOf(filter.to())));
        }
        return where;
    }

    /** The customers the scope covers: of its region, or owned now by one of its reps. */
    private static Condition covered(Scope scope) {
        return org.salesledger.projections.scope.ScopeConditions.covered(scope, FUNNEL_CUSTOMER.REGION,
                FUNNEL_CUSTOMER.OWNER_REP_ID);
    }

    private static java.time.OffsetDateTime startOf(LocalDate date) {
        return date.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    /** Counts of one funnel, assembled from the grouped rows. */
    private static final class Tally {
        private final Map<Stage, Long> current = new EnumMap<>(Stage.class);
        private final long[] furthest = new long[ORDERED.size()];
        private final Map<Stage, Double> averageDays = new EnumMap<>(Stage.class);

        void add(Stage stage, int furthestRank, long count) {
            current.merge(stage, count, Long::sum);
            furthest[furthestRank] += count;
        }

        Funnel funnel() {
            long[] reached = new long[ORDERED.size()];
            long atOrBeyond = 0;
            for (int rank = ORDERED.size() - 1; rank >= 0; rank--) {
                atOrBeyond += furthest[rank];
                reached[rank] = atOrBeyond;
            }
            List<StageFigures> stages = new ArrayList<>();
            for (int rank = 0; rank < ORDERED.size(); rank++) {
                Double conversion = rank + 1 < ORDERED.size() && reached[rank] > 0
                        ? (double) reached[rank + 1] / reached[rank] : null;
                Stage stage = ORDERED.get(rank);
                stages.add(new StageFigures(stage, current.getOrDefault(stage, 0L), reached[rank], conversion,
                        averageDays.get(stage)));
            }
            long won = current.getOrDefault(Stage.CONTRACT_SIGNED, 0L);
            long lost = current.getOrDefault(Stage.LOST, 0L);
            return new Funnel(stages, won, lost, won + lost == 0 ? null : (double) won / (won + lost));
        }
    }
}
