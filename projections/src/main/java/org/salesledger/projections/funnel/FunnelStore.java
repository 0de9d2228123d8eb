package org.salesledger.projections.funnel;

import static org.salesledger.projections.jooq.Tables.FUNNEL_CUSTOMER;
import static org.salesledger.projections.jooq.Tables.FUNNEL_STAGE_STAY;
import static org.salesledger.projections.jooq.Tables.FUNNEL_STAY_TALLY;
import static org.salesledger.projections.jooq.Tables.FUNNEL_TALLY;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertOnDuplicateSetMoreStep;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.impl.DSL;
import org.salesledger.projections.batch.PgArrays;
import org.salesledger.projections.jooq.tables.FunnelCustomer;
import org.salesledger.projections.jooq.tables.FunnelStageStay;
import org.salesledger.projections.jooq.tables.FunnelStayTally;
import org.salesledger.projections.jooq.tables.FunnelTally;
import org.salesledger.projections.jooq.tables.records.FunnelCustomerRecord;
import org.salesledger.projections.jooq.tables.records.FunnelStageStayRecord;
import org.salesledger.projections.rebuild.ReadModelTables;

/**
 * The funnel's SQL on the write side: one query loads a batch's customers, and each kind of change is written with
 * one statement whose rows travel as arrays ({@code unnest}), so a statement's text, and its server-side plan, is
 * the same for every batch. Tables are addressed by {@link ReadModelTables#writeName}, the shadow copies during a
 * rebuild.
 */
final class FunnelStore {

    private final DSLContext db;
    private final ReadModelTables tables;

    FunnelStore(DSLContext db, ReadModelTables tables) {
        this.db = db;
        this.tables = tables;
    }

    private FunnelCustomer customers() {
        return FUNNEL_CUSTOMER.rename(tables.writeName(FUNNEL_CUSTOMER.getName()));
    }

    private FunnelStageStay stays() {
        return FUNNEL_STAGE_STAY.rename(tables.writeName(FUNNEL_STAGE_STAY.getName()));
    }

    Result<FunnelCustomerRecord> load(Collection<String> ids) {
        FunnelCustomer c = customers();
        return db.selectFrom(c).where(c.CUSTOMER_ID.eq(DSL.any(PgArrays.text(ids.toArray(String[]::new))))).fetch();
    }

    /** The customer's stays that have ended, as stored (before the current batch is written). */
    List<FunnelStageStayRecord> endedStays(String customerId) {
        FunnelStageStay s = stays();
        return db.selectFrom(s).where(s.CUSTOMER_ID.eq(customerId)).and(s.EXITED_AT.isNotNull()).fetch()
                .map(r -> r.into(FunnelStageStayRecord.class));
    }

    private FunnelTally tallies() {
        return FUNNEL_TALLY.rename(tables.writeName(FUNNEL_TALLY.getName()));
    }

    private FunnelStayTally stayTallies() {
        return FUNNEL_STAY_TALLY.rename(tables.writeName(FUNNEL_STAY_TALLY.getName()));
    }

    void write(List<FunnelBatch.Customer> changed, List<FunnelStageStayRecord> entered,
               List<FunnelStageStayRecord> ended, Map<FunnelBatch.TallyKey, Long> tallyChanges,
               Map<FunnelBatch.StayKey, FunnelBatch.StayTotal> endedStays) {
        upsertCustomers(changed.stream().map(c -> c.row).toList());
        insertStays(entered);
        endStays(ended);
        if (!talliesLater()) {
            addToTallies(tallyChanges);
            addToStayTallies(endedStays);
        }
    }

    /**
     * While the read model is rebuilt the tallies are not kept up batch by batch: every batch of the replay would
     * change the same cells (and wait for the other segments' batches that hold them); {@link #countTallies()}
     * counts them from the rebuilt customers and stays once the replay is done.
     */
    boolean talliesLater() {
        return tables.rebuilding();
    }

    /**
     * Fills the (empty) tallies from the customer and stay tables, as the projection would have kept them: each
     * customer in its five dimensions, each ended stay's length in whole microseconds, at least zero. Rows are
     * written in key order, so that the rows of one dimension value lie together: a query with one filter then
     * reads a few dozen pages instead of one page per row (at 1 M customers, p50 31 → 12 ms, docs/benchmarks.md).
     */
    void countTallies() {
        FunnelCustomer c = customers();
        FunnelStageStay s = stays();
        String dimensions = "cross join lateral (values ('all', ''), ('region', c.region), "
                + "(case when c.team is null then 'team_none' else 'team' end, coalesce(c.team, '')), "
                + "(case when c.owner_rep_id is null then 'rep_none' else 'rep' end, coalesce(c.owner_rep_id, '')), "
                + "('channel', c.channel)) as d (dimension, value) ";
        db.execute("insert into {0} (dimension, value, day, stage, furthest_rank, customers) "
                + "select d.dimension, d.value, (c.registered_at at time zone 'UTC')::date, c.stage, c.furthest_rank, "
                + "count(*) from {1} as c " + dimensions + "group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5", tallies(), c);
        db.execute("insert into {0} (dimension, value, day, stage, stays, micros) "
                + "select d.dimension, d.value, (c.registered_at at time zone 'UTC')::date, s.stage, count(*), "
                + "sum(greatest(0, round(extract(epoch from s.exited_at - s.entered_at) * 1000000))) "
                + "from {1} as s join {2} as c on c.customer_id = s.customer_id " + dimensions
                + "where s.exited_at is not null group by 1, 2, 3, 4 order by 1, 2, 3, 4", stayTallies(), s, c);
    }

    /**
     * Adds the changes to the customer counts; cells that fall to zero are deleted. Batches of different segments
     * change the same cells at the same time (every customer counts under {@code all}): each writes its cells in
     * one order, the keys' natural order, so that two batches wait for each other at most, never deadlock.
     */
    private void addToTallies(Map<FunnelBatch.TallyKey, Long> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<Map.Entry<FunnelBatch.TallyKey, Long>> rows = new ArrayList<>(changes.entrySet());
        rows.sort(Map.Entry.comparingByKey(FunnelBatch.TallyKey.ORDER));
        FunnelTally t = tallies();
        List<FunnelBatch.TallyKey> emptied = db.fetch("with up as (insert into {0} as t (dimension, value, day, stage, "
                        + "furthest_rank, customers) select * from unnest({1}, {2}, {3}, {4}, {5}, {6}) "
                        + "on conflict (dimension, value, day, stage, furthest_rank) "
                        + "do update set customers = t.customers + excluded.customers "
                        + "returning dimension, value, day, stage, furthest_rank, customers) "
                        + "select dimension, value, day, stage, furthest_rank from up where customers = 0",
                t,
                array(rows, e -> e.getKey().dimension(), String[]::new),
                array(rows, e -> e.getKey().value(), String[]::new),
                array(rows, e -> e.getKey().day(), LocalDate[]::new),
                array(rows, e -> e.getKey().stage(), String[]::new),
                array(rows, e -> e.getKey().furthestRank(), Short[]::new),
                array(rows, Map.Entry::getValue, Long[]::new))
                .map(r -> new FunnelBatch.TallyKey(r.get(0, String.class), r.get(1, String.class),
                        r.get(2, LocalDate.class), r.get(3, String.class), r.get(4, Short.class)));
        if (!emptied.isEmpty()) {
            db.execute("delete from {0} as t using unnest({1}, {2}, {3}, {4}, {5}) "
                            + "as z (dimension, value, day, stage, furthest_rank) "
                            + "where t.dimension = z.dimension and t.value = z.value and t.day = z.day "
                            + "and t.stage = z.stage and t.furthest_rank = z.furthest_rank and t.customers = 0",
                    t,
                    array(emptied, FunnelBatch.TallyKey::dimension, String[]::new),
                    array(emptied, FunnelBatch.TallyKey::value, String[]::new),
                    array(emptied, FunnelBatch.TallyKey::day, LocalDate[]::new),
                    array(emptied, FunnelBatch.TallyKey::stage, String[]::new),
                    array(emptied, FunnelBatch.TallyKey::furthestRank, Short[]::new));
        }
    }

    private void addToStayTallies(Map<FunnelBatch.StayKey, FunnelBatch.StayTotal> totals) {
        if (totals.isEmpty()) {
            return;
        }
        List<Map.Entry<FunnelBatch.StayKey, FunnelBatch.StayTotal>> rows = new ArrayList<>(totals.entrySet());
        rows.sort(Map.Entry.comparingByKey(FunnelBatch.StayKey.ORDER)); // one order for every batch: see above
        FunnelStayTally t = stayTallies();
        // a customer's stays move to its new owner's cells (FunnelBatch#stayChanges): the cells left empty go
        List<FunnelBatch.StayKey> emptied = db.fetch("with up as (insert into {0} as t (dimension, value, day, stage, "
                        + "stays, micros) select * from unnest({1}, {2}, {3}, {4}, {5}, {6}) "
                        + "on conflict (dimension, value, day, stage) "
                        + "do update set stays = t.stays + excluded.stays, micros = t.micros + excluded.micros "
                        + "returning dimension, value, day, stage, stays) "
                        + "select dimension, value, day, stage from up where stays = 0",
                t,
                array(rows, e -> e.getKey().dimension(), String[]::new),
                array(rows, e -> e.getKey().value(), String[]::new),
                array(rows, e -> e.getKey().day(), LocalDate[]::new),
                array(rows, e -> e.getKey().stage(), String[]::new),
                array(rows, e -> e.getValue().stays, Long[]::new),
                array(rows, e -> new BigDecimal(e.getValue().micros), BigDecimal[]::new))
                .map(r -> new FunnelBatch.StayKey(r.get(0, String.class), r.get(1, String.class),
                        r.get(2, LocalDate.class), r.get(3, String.class)));
        if (!emptied.isEmpty()) {
            db.execute("delete from {0} as t using unnest({1}, {2}, {3}, {4}) as z (dimension, value, day, stage) "
                            + "where t.dimension = z.dimension and t.value = z.value and t.day = z.day "
                            + "and t.stage = z.stage and t.stays = 0",
                    t,
                    array(emptied, FunnelBatch.StayKey::dimension, String[]::new),
                    array(emptied, FunnelBatch.StayKey::value, String[]::new),
                    array(emptied, FunnelBatch.StayKey::day, LocalDate[]::new),
                    array(emptied, FunnelBatch.StayKey::stage, String[]::new));
        }
    }

    /** Inserts new customers and updates known ones, unless the stored row is already as far (replays). */
    private void upsertCustomers(List<FunnelCustomerRecord> rows) {
        if (rows.isEmpty()) {
            return;
        }
        FunnelCustomer c = customers();
        List<Field<?>> columns = List.of(c.fields());
        InsertOnDuplicateSetMoreStep<FunnelCustomerRecord> set = db.insertInto(c, columns)
                .select(PgArrays.rows(c, rows))
                .onConflict(c.CUSTOMER_ID)
                .doUpdate()
                .set(c.LAST_SEQ, DSL.excluded(c.LAST_SEQ));
        for (Field<?> column : columns) {
            if (!column.equals(c.CUSTOMER_ID) && !column.equals(c.LAST_SEQ)) {
                set = setExcluded(set, column);
            }
        }
        set.where(c.LAST_SEQ.lt(DSL.excluded(c.LAST_SEQ))).execute();
    }

    private void insertStays(List<FunnelStageStayRecord> rows) {
        if (rows.isEmpty()) {
            return;
        }
        FunnelStageStay s = stays();
        db.insertInto(s, List.of(s.CUSTOMER_ID, s.STAGE, s.ENTERED_AT, s.EXITED_AT))
                .select(DSL.selectFrom(DSL.table("unnest({0}, {1}, {2}, {3})",
                        array(rows, FunnelStageStayRecord::getCustomerId, String[]::new),
                        array(rows, FunnelStageStayRecord::getStage, String[]::new),
                        array(rows, FunnelStageStayRecord::getEnteredAt, OffsetDateTime[]::new),
                        array(rows, FunnelStageStayRecord::getExitedAt, OffsetDateTime[]::new))))
                .onConflictDoNothing()
                .execute();
    }

    /** Sets the exit time of stays entered in an earlier batch that are still open. */
    private void endStays(List<FunnelStageStayRecord> rows) {
        if (rows.isEmpty()) {
            return;
        }
        FunnelStageStay s = stays();
        db.execute("update {0} set {1} = v.exited from unnest({2}, {3}, {4}) as v (customer, stage, exited) "
                        + "where {5} = v.customer and {6} = v.stage and {7} is null",
                s, DSL.name(s.EXITED_AT.getName()),
                array(rows, FunnelStageStayRecord::getCustomerId, String[]::new),
                array(rows, FunnelStageStayRecord::getStage, String[]::new),
                array(rows, FunnelStageStayRecord::getExitedAt, OffsetDateTime[]::new),
                s.CUSTOMER_ID, s.STAGE, s.EXITED_AT);
    }

    void truncate() {
        db.truncate(stayTallies()).execute();
        db.truncate(tallies()).execute();
        db.truncate(stays()).execute();
        db.truncate(customers()).execute();
    }

    // ---- arrays of column values ----

    private static <R, T> Field<T[]> array(List<R> rows, Function<R, T> value, java.util.function.IntFunction<T[]> make) {
        T[] values = make.apply(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            values[i] = value.apply(rows.get(i));
        }
        return PgArrays.of(values);
    }

    private static <R extends Record, T> InsertOnDuplicateSetMoreStep<R> setExcluded(
            InsertOnDuplicateSetMoreStep<R> step, Field<T> column) {
        return step.set(column, DSL.excluded(column));
    }
}
