package org.salesledger.projections.funnel;

import static org.salesledger.projections.jooq.Tables.FUNNEL_CUSTOMER;
import static org.salesledger.projections.jooq.Tables.FUNNEL_STAGE_STAY;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.salesledger.kernel.lifecycle.Stage;
import org.springframework.stereotype.Repository;

/**
 * Answers the funnel from the per-customer table with two grouped queries (counts by stage and furthest stage,
 * average stay by stage), whatever the number of events behind it.
 */
@Repository
class FunnelQueries implements FunnelReadModel {

    static final String NONE = "(none)";
    private static final List<Stage> ORDERED = List.of(Stage.FIRST_CONTACT, Stage.NEEDS_CONFIRMED,
            Stage.PROPOSAL_SENT, Stage.PRICE_OBJECTION, Stage.TRIAL_REQUESTED, Stage.CONTRACT_SIGNED);
    private static final Field<String> ALL = DSL.inline("").as("group_key");

    private final DSLContext db;

    FunnelQueries(DSLContext db) {
        this.db = db;
    }

    @Override
    public Funnel funnel(Filter filter) {
        Map<String, Tally> tallies = tally(filter, ALL);
        return tallies.getOrDefault("", new Tally()).funnel();
    }

    @Override
    public List<Group> funnelBy(Filter filter, Dimension by) {
        List<Group> groups = new ArrayList<>();
        tally(filter, key(by)).forEach((key, tally) -> groups.add(new Group(key, tally.funnel())));
        return groups;
    }

    private Map<String, Tally> tally(Filter filter, Field<String> key) {
        Condition where = where(filter);
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

    static Condition where(Filter filter) {
        Condition where = DSL.noCondition();
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
