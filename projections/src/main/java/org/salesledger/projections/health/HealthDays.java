package org.salesledger.projections.health;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.salesledger.kernel.health.IncentivePlan;
import org.salesledger.projections.batch.PgArrays;

/**
 * Each rep's day of action counts ({@code health_day}, V36): the six action counts of contract §8's metrics, kept
 * by the projection in the transaction that writes the action rows, so that a ranking reads a row per rep and day
 * instead of every action of the period.
 *
 * <p>A batch's change is counted as a difference: the counts of its customers' action rows before the batch is
 * written, subtracted from their counts after it — so whatever the batch changes (new rows, a signal's next sales
 * action moved by a back-dated action, an observation of an earlier key action) moves the tallies by exactly that,
 * with no rule per kind of change. Two counts depend on the plan's windows and two on its key action types: they are
 * counted under the {@link Basis} kept beside them, which follows the current plan; when a plan change changes it,
 * the tallies are recounted from the action rows in the same transaction. Concurrent segments take the basis row
 * {@code for share}, a recount takes it {@code for update}: no batch adds a difference counted under another basis.
 */
final class HealthDays {

    /** The plan parameters the tallies are counted under. */
    record Basis(String followUpWithin, String taskClosureWithin, List<String> keyTypes) {

        static Basis of(IncentivePlan plan) {
            return new Basis(plan.followUpWithin().toString(), plan.taskClosureWithin().toString(),
                    plan.keyActionTypes().stream().sorted().toList());
        }

        String[] keyTypeArray() {
            return keyTypes.toArray(String[]::new);
        }
    }

    /** The six counts, in the order of {@link #COUNTS}. */
    static final List<String> COUNTS = List.of("signals", "followed", "key_actions", "observed", "visits",
            "visits_closed");

    private final DSLContext db;
    private final Function<String, Name> table;

    /** {@code table}: the name each table is written under (a shadow's during a rebuild). */
    HealthDays(DSLContext db, Function<String, Name> table) {
        this.db = db;
        this.table = table;
    }

    /**
     * The counts of each rep's day of the action rows of the customers {@code {5}} ({@code customers} {@code null}:
     * every customer), under the basis {@code {1}}–{@code {3}}; {@code {0}} and {@code {4}}: the action and observed
     * tables.
     */
    private String counting(String customers) {
        return "select a.rep_id, (a.occurred_at at time zone 'UTC')::date as day, "
                + "count(*) filter (where a.is_signal and a.customer_open) as signals, "
                + "count(*) filter (where a.is_signal and a.customer_open and a.next_sales_at <= a.occurred_at "
                + "+ {1}::interval) as followed, "
                + "count(*) filter (where a.is_sales and a.type = any({3})) as key_actions, "
                + "count(*) filter (where a.is_sales and a.type = any({3}) and exists (select 1 from {4} o "
                + "where o.ref_action_id = a.action_id)) as observed, "
                + "count(*) filter (where a.type = 'VisitLogged') as visits, "
                + "count(*) filter (where a.type = 'VisitLogged' and a.next_other_sales_at <= a.occurred_at "
                + "+ {2}::interval) as visits_closed "
                + "from {0} a where a.rep_id is not null"
                + (customers == null ? "" : " and a.customer_id = any({5})") + " group by 1, 2";
    }

    /** The counts of these customers' action rows now, per rep and day. */
    Map<Key, long[]> count(Basis basis, String[] customers) {
        Map<Key, long[]> counts = new HashMap<>();
        for (Record r : db.fetch(counting("customers"), table.apply("health_action"),
                DSL.val(basis.followUpWithin()), DSL.val(basis.taskClosureWithin()),
                PgArrays.text(basis.keyTypeArray()), table.apply("health_observed"), PgArrays.text(customers))) {
            long[] c = new long[COUNTS.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = r.get(COUNTS.get(i), Long.class);
            }
            counts.put(new Key(r.get("rep_id", String.class), r.get("day", LocalDate.class)), c);
        }
        return counts;
    }

    /** A rep's day. */
    record Key(String rep, LocalDate day) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = rep.compareTo(o.rep);
            return c != 0 ? c : day.compareTo(o.day);
        }
    }

    /**
     * Adds {@code after − before} to the tallies, in the order of (rep, day) so that two segments' batches lock the
     * rows they share in the same order.
     */
    void add(Map<Key, long[]> before, Map<Key, long[]> after) {
        Map<Key, long[]> delta = new TreeMap<>();
        after.forEach((k, c) -> delta.put(k, c.clone()));
        before.forEach((k, c) -> {
            long[] d = delta.computeIfAbsent(k, x -> new long[COUNTS.size()]);
            for (int i = 0; i < d.length; i++) {
                d[i] -= c[i];
            }
        });
        delta.values().removeIf(d -> Arrays.stream(d).allMatch(v -> v == 0));
        if (delta.isEmpty()) {
            return;
        }
        String[] reps = delta.keySet().stream().map(Key::rep).toArray(String[]::new);
        String[] days = delta.keySet().stream().map(k -> k.day().toString()).toArray(String[]::new);
        Long[][] columns = new Long[COUNTS.size()][delta.size()];
        int row = 0;
        for (long[] d : delta.values()) {
            for (int i = 0; i < d.length; i++) {
                columns[i][row] = d[i];
            }
            row++;
        }
        StringBuilder update = new StringBuilder();
        for (String c : COUNTS) {
            update.append(update.isEmpty() ? "" : ", ").append(c).append(" = d.").append(c).append(" + excluded.")
                    .append(c);
        }
        db.execute("insert into {0} as d (rep_id, day, " + String.join(", ", COUNTS) + ") "
                        + "select v.rep_id, v.day::date, v.signals, v.followed, v.key_actions, v.observed, v.visits, "
                        + "v.visits_closed from unnest({1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}) with ordinality "
                        + "as v (rep_id, day, signals, followed, key_actions, observed, visits, visits_closed, n) "
                        + "order by v.n on conflict (rep_id, day) do update set " + update,
                table.apply("health_day"), PgArrays.text(reps), PgArrays.text(days), PgArrays.bigint(columns[0]),
                PgArrays.bigint(columns[1]), PgArrays.bigint(columns[2]), PgArrays.bigint(columns[3]),
                PgArrays.bigint(columns[4]), PgArrays.bigint(columns[5]));
    }

    /**
     * The basis the tallies are counted under, its row held {@code for share} until the transaction ends; made
     * (and the tallies recounted under it) from {@code current} if there is none yet.
     */
    Basis shared(Supplier<IncentivePlan> current) {
        Basis basis = read("for share");
        if (basis != null) {
            return basis;
        }
        return moveTo(Basis.of(current.get()));
    }

    /**
     * Makes {@code target} the basis, its row held {@code for update}: when it differs from the basis the tallies
     * were counted under (or there is none), every tally is recounted from the action rows.
     */
    Basis moveTo(Basis target) {
        boolean made = db.fetchOptional("insert into {0} (id, follow_up_within, task_closure_within, key_types) "
                        + "values (1, {1}, {2}, {3}) on conflict do nothing returning id",
                table.apply("health_tally_basis"), DSL.val(target.followUpWithin()),
                DSL.val(target.taskClosureWithin()), PgArrays.text(target.keyTypeArray())).isPresent();
        Basis stored = read("for update");
        if (!made && target.equals(stored)) {
            return stored;
        }
        // the row just inserted (tallies never counted), or a basis the plan no longer gives: recount every tally
        db.execute("delete from {0}", table.apply("health_day"));
        db.execute("insert into {6} (rep_id, day, " + String.join(", ", COUNTS) + ") " + counting(null),
                table.apply("health_action"), DSL.val(target.followUpWithin()), DSL.val(target.taskClosureWithin()),
                PgArrays.text(target.keyTypeArray()), table.apply("health_observed"), PgArrays.text(new String[0]),
                table.apply("health_day"));
        db.execute("update {0} set follow_up_within = {1}, task_closure_within = {2}, key_types = {3}",
                table.apply("health_tally_basis"), DSL.val(target.followUpWithin()),
                DSL.val(target.taskClosureWithin()), PgArrays.text(target.keyTypeArray()));
        return target;
    }

    private Basis read(String lock) {
        Record r = db.fetchOne("select follow_up_within, task_closure_within, key_types from {0} where id = 1 "
                + lock, table.apply("health_tally_basis"));
        return r == null ? null : new Basis(r.get("follow_up_within", String.class),
                r.get("task_closure_within", String.class), List.of(r.get("key_types", String[].class)));
    }
}
