package org.salesledger.projections.health;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.Record;
import org.salesledger.kernel.health.IncentivePlan;
import org.salesledger.kernel.health.NewCustomerDefinition;
import org.salesledger.projections.batch.PgArrays;
import org.salesledger.projections.health.HealthQueries.Binds;

/**
 * Each rep's day of counts (V36): {@code health_day}, the six action counts of contract §8's metrics, and
 * {@code health_day_contract}, per currency the contracts' counts and sums — kept by the projection in the
 * transaction that writes the rows they count, so that a ranking reads a few rows per rep and day instead of every
 * action and contract of the period.
 *
 * <p>A batch's change is counted as a difference: the counts of the rows of the customers the batch can change,
 * before it is written, subtracted from their counts after it — so whatever the batch changes (new rows, a signal's
 * next sales action moved by a back-dated action, an observation of an earlier key action, a back-dated first
 * contract) moves the tallies by exactly that, with no rule per kind of change. Six counts depend on the plan (its
 * windows, key types, new-customer definition and margin threshold): they are counted under the {@link Basis} kept
 * beside them, which follows the current plan; when a plan change changes it, every day is recounted from the rows
 * in the same transaction. Concurrent segments take the basis row {@code for share}, a recount {@code for update}: no
 * batch adds a difference counted under another basis.
 */
final class HealthDays {

    /** The plan parameters the tallies are counted under. */
    record Basis(String followUpWithin, String taskClosureWithin, List<String> keyTypes, String newCustomer,
                 String newCustomerWindow, String highMarginPct) {

        static Basis of(IncentivePlan plan) {
            return new Basis(plan.followUpWithin().toString(), plan.taskClosureWithin().toString(),
                    plan.keyActionTypes().stream().sorted().toList(), plan.newCustomer().name(),
                    plan.newCustomerWindow().toString(), plan.highMarginPct().stripTrailingZeros().toPlainString());
        }

        /** A plan with these parameters (the others the default's: they are applied at query time). */
        IncentivePlan plan() {
            IncentivePlan d = IncentivePlan.DEFAULT;
            return new IncentivePlan(d.baseRate(), NewCustomerDefinition.valueOf(newCustomer),
                    Duration.parse(newCustomerWindow), new BigDecimal(highMarginPct), Duration.parse(followUpWithin),
                    new LinkedHashSet<>(keyTypes), Duration.parse(taskClosureWithin), d.targets());
        }

        String[] keyTypeArray() {
            return keyTypes.toArray(String[]::new);
        }
    }

    /**
     * One kind of tally: its table, its key columns after {@code (rep_id, day)} and its count columns with their
     * SQL types, and the statement that counts them from the rows ({@code bucket}: rep and day, {@code where}: which
     * rows, binds in {@code b}).
     */
    record Kind(String table, List<String> keys, List<String> columns, List<String> types, Counting counting) {
    }

    @FunctionalInterface
    interface Counting {
        String sql(IncentivePlan plan, String where, Binds b, Function<String, String> table);
    }

    /** The six action counts, per rep and day. */
    static final Kind ACTIONS = new Kind("health_day", List.of(), List.of("signals", "followed", "key_actions",
            "observed", "visits", "visits_closed"), List.of("bigint", "bigint", "bigint", "bigint", "bigint", "bigint"),
            (plan, where, b, table) -> "select a.rep_id, (a.occurred_at at time zone 'UTC')::date as day, "
                    + HealthQueries.actionCounts(plan, b, table.apply("health_observed")) + " from "
                    + table.apply("health_action") + " a where a.rep_id is not null and " + where.replace("$", "a")
                    + " group by 1, 2");

    /** The contracts' counts and sums, per rep, day and currency. */
    static final Kind CONTRACTS = new Kind("health_day_contract", List.of("currency"), List.of("contracts",
            "revenue", "new_contracts", "cross_contracts", "with_lines", "line_amount", "high_amount",
            "high_contracts"), List.of("bigint", "numeric", "bigint", "bigint", "bigint", "numeric", "numeric",
            "bigint"),
            (plan, where, b, table) -> "select k.rep_id, (k.occurred_at at time zone 'UTC')::date as day, k.currency, "
                    + HealthQueries.contractCounts(plan, b, table.apply("health_customer"),
                    table.apply("health_contract_line")) + " from " + table.apply("health_contract") + " k "
                    + HealthQueries.contractLines(plan, b, table.apply("health_contract_line"))
                    + " where k.rep_id is not null and " + where.replace("$", "k") + " group by 1, 2, 3");

    private final DSLContext db;
    private final Function<String, Name> table;

    /** {@code table}: the name each table is written under (a shadow's during a rebuild). */
    HealthDays(DSLContext db, Function<String, Name> table) {
        this.db = db;
        this.table = table;
    }

    private String rendered(String name) {
        return db.render(table.apply(name));
    }

    /** A tally's row key: rep, day, and the kind's further keys. */
    static List<Object> key(Kind kind, Record r) {
        List<Object> key = new ArrayList<>();
        key.add(r.get("rep_id", String.class));
        key.add(r.get("day", java.time.LocalDate.class).toString());
        kind.keys().forEach(k -> key.add(r.get(k, String.class)));
        return key;
    }

    /** The counts of these customers' rows now, per row key of the kind's table, under {@code basis}. */
    Map<List<Object>, BigDecimal[]> count(Kind kind, Basis basis, String[] customers) {
        Binds b = new Binds();
        String where = "$.customer_id = any(" + b.at(PgArrays.text(customers)) + ")";
        Map<List<Object>, BigDecimal[]> counts = new HashMap<>();
        for (Record r : db.fetch(kind.counting().sql(basis.plan(), where, b, this::rendered), b.array())) {
            BigDecimal[] c = new BigDecimal[kind.columns().size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = r.get(kind.columns().get(i), BigDecimal.class);
            }
            counts.put(key(kind, r), c);
        }
        return counts;
    }

    /**
     * The kind's tallies that are not what a recount of every row under {@code basis} would write, in key order:
     * per row its key columns, then {@code expected_<column>} (the recount's) and {@code found_<column>} (the
     * table's) for every count column. A missing row counts as zeros on either side (a batch can take a tally back
     * to zero; a recount writes no such row). Compared in PostgreSQL, so that only what differs is read.
     */
    List<Record> unlikeRecount(Kind kind, Basis basis) {
        Binds b = new Binds();
        String recount = kind.counting().sql(basis.plan(), "true", b, this::rendered);
        List<String> keys = new ArrayList<>(List.of("rep_id", "day"));
        keys.addAll(kind.keys());
        List<String> select = new ArrayList<>();
        keys.forEach(k -> select.add("coalesce(e." + k + ", s." + k + ") as " + k));
        List<String> differs = new ArrayList<>();
        for (String c : kind.columns()) {
            select.add("coalesce(e." + c + ", 0) as expected_" + c);
            select.add("coalesce(s." + c + ", 0) as found_" + c);
            differs.add("coalesce(e." + c + ", 0) <> coalesce(s." + c + ", 0)");
        }
        List<String> on = keys.stream().map(k -> "e." + k + " = s." + k).toList();
        // ordered by the output columns: a bare name in ORDER BY is the select list's
        return db.fetch("select " + String.join(", ", select) + " from (" + recount + ") e full join "
                + rendered(kind.table()) + " s on " + String.join(" and ", on) + " where "
                + String.join(" or ", differs) + " order by " + String.join(", ", keys), b.array());
    }

    /** The basis the tallies are counted under, read without a lock; null when nothing was counted yet. */
    Basis current() {
        return read("");
    }

    /**
     * Adds {@code after − before} to the kind's table, in key order so that two segments' batches lock the rows
     * they share in the same order.
     */
    void add(Kind kind, Map<List<Object>, BigDecimal[]> before, Map<List<Object>, BigDecimal[]> after) {
        Map<String, List<Object>> keys = new TreeMap<>();
        Map<String, BigDecimal[]> delta = new HashMap<>();
        after.forEach((k, c) -> {
            keys.put(k.toString(), k);
            delta.put(k.toString(), c.clone());
        });
        before.forEach((k, c) -> {
            keys.put(k.toString(), k);
            BigDecimal[] d = delta.computeIfAbsent(k.toString(), x -> zeros(c.length));
            for (int i = 0; i < d.length; i++) {
                d[i] = d[i].subtract(c[i]);
            }
        });
        keys.keySet().removeIf(k -> Arrays.stream(delta.get(k)).allMatch(v -> v.signum() == 0));
        if (keys.isEmpty()) {
            return;
        }
        List<String> keyColumns = new ArrayList<>(List.of("rep_id", "day"));
        keyColumns.addAll(kind.keys());
        List<String> all = new ArrayList<>(keyColumns);
        all.addAll(kind.columns());
        String[][] columns = new String[all.size()][keys.size()];
        int row = 0;
        for (Map.Entry<String, List<Object>> e : keys.entrySet()) {
            for (int i = 0; i < keyColumns.size(); i++) {
                columns[i][row] = (String) e.getValue().get(i);
            }
            BigDecimal[] d = delta.get(e.getKey());
            for (int i = 0; i < d.length; i++) {
                columns[keyColumns.size() + i][row] = d[i].toPlainString();
            }
            row++;
        }
        Binds b = new Binds();
        List<String> arrays = new ArrayList<>();
        for (String[] column : columns) {
            arrays.add(b.at(PgArrays.text(column)));
        }
        List<String> select = new ArrayList<>();
        select.add("v.rep_id");
        select.add("v.day::date");
        kind.keys().forEach(k -> select.add("v." + k));
        for (int i = 0; i < kind.columns().size(); i++) {
            select.add("v." + kind.columns().get(i) + "::" + kind.types().get(i));
        }
        List<String> update = kind.columns().stream().map(c -> c + " = d." + c + " + excluded." + c).toList();
        db.execute("insert into " + b.at(table.apply(kind.table())) + " as d (" + String.join(", ", all) + ") "
                + "select " + String.join(", ", select) + " from unnest(" + String.join(", ", arrays) + ") "
                + "with ordinality as v (" + String.join(", ", all) + ", n) order by v.n "
                + "on conflict (" + String.join(", ", keyColumns) + ") do update set " + String.join(", ", update),
                b.array());
    }

    private static BigDecimal[] zeros(int n) {
        BigDecimal[] z = new BigDecimal[n];
        Arrays.fill(z, BigDecimal.ZERO);
        return z;
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
     * were counted under (or there is none), every tally is recounted from the rows.
     */
    Basis moveTo(Basis target) {
        Binds b = new Binds();
        String values = String.join(", ", b.at(target.followUpWithin()), b.at(target.taskClosureWithin()),
                b.at(PgArrays.text(target.keyTypeArray())), b.at(target.newCustomer()), b.at(target.newCustomerWindow()),
                b.at(target.highMarginPct()));
        String basisTable = b.at(table.apply("health_tally_basis"));
        boolean made = db.fetchOptional("insert into " + basisTable + " (id, " + BASIS_COLUMNS + ") values (1, "
                + values + ") on conflict do nothing returning id", b.array()).isPresent();
        Basis stored = read("for update");
        if (!made && target.equals(stored)) {
            return stored;
        }
        // the row just made (tallies never counted), or a basis the plan no longer gives: recount every tally
        for (Kind kind : List.of(ACTIONS, CONTRACTS)) {
            Binds r = new Binds();
            String into = r.at(table.apply(kind.table()));
            List<String> columns = new ArrayList<>(List.of("rep_id", "day"));
            columns.addAll(kind.keys());
            columns.addAll(kind.columns());
            db.execute("delete from " + into, r.array());
            db.execute("insert into " + into + " (" + String.join(", ", columns) + ") "
                    + kind.counting().sql(target.plan(), "true", r, this::rendered), r.array());
        }
        db.execute("update " + basisTable + " set (" + BASIS_COLUMNS + ") = (" + values + ")", b.array());
        return target;
    }

    private static final String BASIS_COLUMNS = "follow_up_within, task_closure_within, key_types, new_customer, "
            + "new_customer_window, high_margin_pct";

    private Basis read(String lock) {
        Record r = db.fetchOne("select " + BASIS_COLUMNS + " from {0} where id = 1 " + lock,
                table.apply("health_tally_basis"));
        return r == null ? null : new Basis(r.get("follow_up_within", String.class),
                r.get("task_closure_within", String.class), List.of(r.get("key_types", String[].class)),
                r.get("new_customer", String.class), r.get("new_customer_window", String.class),
                r.get("high_margin_pct", String.class));
    }
}
