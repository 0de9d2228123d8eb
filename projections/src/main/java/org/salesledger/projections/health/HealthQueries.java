package org.salesledger.projections.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.health.HealthMetric;
import org.salesledger.kernel.health.IncentivePlan;
import org.salesledger.kernel.health.NewCustomerDefinition;
import org.salesledger.projections.batch.PgArrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The health read model's queries: each tally is two statements, the actions' and the contracts', both over the reps'
 * days ({@link HealthDays}: {@code health_day}, {@code health_day_contract}) when those are counted under the plan's
 * six parameters (windows, key types, new-customer definition and window, margin threshold) — else over the action and
 * contract rows of the period (index {@code (rep_id, occurred_at)}), the plan's parameters applied in the statements
 * (a draft plan's dry run); both ways count with the same expressions. Evidence is one statement per metric. A rep's
 * period ({@link #repPeriod}) is the same two statements for one rep, each also listing the first evidence ids of its metrics (an ordered {@code array_agg} per metric).
 */
@Component
class HealthQueries implements HealthReadModel {

    private static final Logger log = LoggerFactory.getLogger(HealthQueries.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext db;

    HealthQueries(DSLContext db) {
        this.db = db;
    }

    @Override
    public PlanVersion currentPlan() {
        return currentPlan(db, DSL.name("health_plan"));
    }

    /** The plan in force by the versions in {@code plans} (the projection reads its own tables, a shadow's too). */
    static PlanVersion currentPlan(DSLContext db, org.jooq.Name plans) {
        Record row = db.fetchOne("select p.rule_id, p.version, p.body::text as body from {0} p "
                + "where not p.retired and p.version = (select max(q.version) from {0} q "
                + "where q.rule_id = p.rule_id) order by p.published_at desc, p.rule_id limit 1", plans);
        if (row == null) {
            return PlanVersion.DEFAULT;
        }
        String ruleId = row.get("rule_id", String.class);
        int version = row.get("version", Integer.class);
        try {
            JsonNode body = JSON.readTree(row.get("body", String.class));
            IncentivePlan.Parsed parsed = IncentivePlan.parse(body);
            if (parsed.ok()) {
                return new PlanVersion(ruleId, version, parsed.plan());
            }
            log.warn("INCENTIVE rule {} version {} cannot be read ({}); the default plan applies", ruleId, version,
                    parsed.errors());
        } catch (IOException e) {
            log.warn("INCENTIVE rule {} version {} is not JSON; the default plan applies", ruleId, version, e);
        }
        return PlanVersion.DEFAULT;
    }

    /** Binds collected while a statement is written: {@code at(value)} is its placeholder (a name: inlined). */
    static final class Binds {
        final List<Object> values = new ArrayList<>();

        String at(Object value) {
            values.add(value instanceof org.jooq.QueryPart ? value : DSL.val(value));
            return "{" + (values.size() - 1) + "}";
        }

        Object[] array() {
            return values.toArray();
        }
    }

    private static String reps(Scope reps, String column, Binds b) {
        if (reps instanceof Scope.All) {
            return column + " is not null";
        }
        if (reps instanceof Scope.Owners owners) {
            return column + " = any(" + b.at(PgArrays.text(owners.reps().toArray(String[]::new))) + ")";
        }
        throw new IllegalArgumentException("a health scope names reps (all, or a set of reps); got " + reps);
    }

    private static OffsetDateTime start(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    /**
     * Whether contract {@code k} is a new customer's, by the plan's definition: its customer looked up by key for
     * each contract (a subquery, not a join: over a month of contracts, a join let the planner scan every customer —
     * 0.6 s at 1 M customers).
     */
    private static String isNew(IncentivePlan plan, Binds b) {
        return isNew(plan, b, "health_customer");
    }

    /** {@link #isNew(IncentivePlan, Binds)} with the customers' table named {@code customers}. */
    static String isNew(IncentivePlan plan, Binds b, String customers) {
        if (plan.newCustomer() == NewCustomerDefinition.FIRST_ORDER) {
            return "k.action_id = (select c.first_contract_id from " + customers + " c "
                    + "where c.customer_id = k.customer_id)";
        }
        return "exists (select 1 from " + customers + " c where c.customer_id = k.customer_id "
                + "and c.first_contact_at <= k.occurred_at and c.first_contact_at >= k.occurred_at - "
                + b.at(plan.newCustomerWindow().toString()) + "::interval)";
    }

    static String highLine(IncentivePlan plan, Binds b) {
        return "l.gross_margin_pct >= " + b.at(plan.highMarginPct());
    }

    @Override
    public Map<String, HealthTally> tallies(Scope reps, LocalDate from, LocalDate to, IncentivePlan plan) {
        return tallies(reps, null, from, to, plan, REP, true);
    }

    @Override
    public Map<LocalDate, HealthTally> monthlyTallies(Scope reps, String repId, LocalDate from, LocalDate to,
                                                      IncentivePlan plan) {
        return tallies(reps, repId, from, to, plan, MONTH, true);
    }

    /** How tallies are grouped, by rep or by calendar month (UTC): over action rows ({@code a.}) or days ({@code d.}). */
    private record Bucket<K>(String ofAction, String ofDay, Function<Record, K> key) {
    }

    private static final Bucket<String> REP = new Bucket<>("rep_id", "d.rep_id", r -> r.get("bucket", String.class));
    private static final Bucket<LocalDate> MONTH = new Bucket<>("date_trunc('month', occurred_at at time zone 'UTC')",
            "date_trunc('month', d.day::timestamp)", r -> r.get("bucket", LocalDateTime.class).toLocalDate());

    /** {@link #tallies(Scope, LocalDate, LocalDate, IncentivePlan)} counted from the action rows, never the days. */
    Map<String, HealthTally> talliesFromActionRows(Scope reps, LocalDate from, LocalDate to, IncentivePlan plan) {
        return tallies(reps, null, from, to, plan, REP, false);
    }

    /** {@link #monthlyTallies} counted from the action rows, never the days. */
    Map<LocalDate, HealthTally> monthlyTalliesFromActionRows(Scope reps, String repId, LocalDate from, LocalDate to,
                                                             IncentivePlan plan) {
        return tallies(reps, repId, from, to, plan, MONTH, false);
    }

    /**
     * The tallies of each bucket: from the reps' days ({@link HealthDays}) when they are counted under this plan's
     * parameters ({@code days} allowing), else from the action and contract rows, the plan's parameters applied in
     * the statements. Both ways count with the same expressions ({@link #actionCounts}, {@link #contractCounts}).
     */
    private <K> Map<K, HealthTally> tallies(Scope reps, String repId, LocalDate from, LocalDate to,
                                            IncentivePlan plan, Bucket<K> bucketing, boolean days) {
        Map<K, long[]> counts = new LinkedHashMap<>();
        Map<K, Map<String, HealthTally.CurrencyTally>> currencies = new HashMap<>();
        if (days && fromDays(HealthDays.CONTRACTS, reps, repId, from, to, plan, bucketing, counts, currencies)
                && fromDays(HealthDays.ACTIONS, reps, repId, from, to, plan, bucketing, counts, currencies)) {
            return nonEmpty(counts, currencies);
        }
        counts.clear();
        currencies.clear();
        String bucket = bucketing.ofAction();
        Binds b = new Binds();
        String where = where(reps, repId, from, to, "k", b);
        String contracts = "select " + bucket.replace("occurred_at", "k.occurred_at").replace("rep_id", "k.rep_id")
                + " as bucket, k.currency, " + contractCounts(plan, b, "health_customer", "health_contract_line")
                + " from health_contract k " + contractLines(plan, b, "health_contract_line") + " where " + where
                + " group by 1, 2";
        for (Record r : db.fetch(contracts, b.array())) {
            addContracts(r, bucketing.key().apply(r), counts, currencies);
        }
        b = new Binds();
        where = where(reps, repId, from, to, "a", b);
        String actions = "select " + bucket.replace("occurred_at", "a.occurred_at").replace("rep_id", "a.rep_id")
                + " as bucket, " + actionCounts(plan, b, "health_observed") + " from health_action a where " + where
                + " group by 1";
        for (Record r : db.fetch(actions, b.array())) {
            addActions(r, bucketing.key().apply(r), counts);
        }
        return nonEmpty(counts, currencies);
    }

    /** The six action counts of the rows {@code a}, under the plan's windows and key types. */
    static String actionCounts(IncentivePlan plan, Binds b, String observed) {
        String followed = "a.next_sales_at <= a.occurred_at + " + b.at(plan.followUpWithin().toString()) + "::interval";
        String key = "a.is_sales and a.type = any(" + b.at(PgArrays.text(plan.keyActionTypes().toArray(String[]::new)))
                + ")";
        String closed = "a.next_other_sales_at <= a.occurred_at + " + b.at(plan.taskClosureWithin().toString())
                + "::interval";
        return "count(*) filter (where a.is_signal and a.customer_open) as signals, "
                + "count(*) filter (where a.is_signal and a.customer_open and " + followed + ") as followed, "
                + "count(*) filter (where " + key + ") as key_actions, "
                + "count(*) filter (where " + key + " and exists (select 1 from " + observed + " o "
                + "where o.ref_action_id = a.action_id)) as observed, "
                + "count(*) filter (where a.type = 'VisitLogged') as visits, "
                + "count(*) filter (where a.type = 'VisitLogged' and " + closed + ") as visits_closed";
    }

    /** The contracts' counts and sums of the rows {@code k} (their lines {@code l}: {@link #contractLines}). */
    static String contractCounts(IncentivePlan plan, Binds b, String customers, String lines) {
        return "count(*) as contracts, coalesce(sum(k.amount), 0) as revenue, "
                + "count(*) filter (where " + isNew(plan, b, customers) + ") as new_contracts, "
                + "count(*) filter (where k.departments >= 2) as cross_contracts, "
                + "count(*) filter (where k.has_lines) as with_lines, "
                + "coalesce(sum(l.total), 0) as line_amount, coalesce(sum(l.high), 0) as high_amount, "
                + "count(*) filter (where l.high_lines > 0) as high_contracts";
    }

    /** Each contract {@code k}'s lines summed ({@code l}), under the plan's margin threshold. */
    static String contractLines(IncentivePlan plan, Binds b, String lines) {
        return "left join lateral (select sum(l.amount) as total, "
                + "coalesce(sum(l.amount) filter (where " + highLine(plan, b) + "), 0) as high, "
                + "count(*) filter (where " + highLine(plan, b) + ") as high_lines "
                + "from " + lines + " l where l.action_id = k.action_id) l on k.has_lines";
    }

    private static <K> void addContracts(Record r, K key, Map<K, long[]> counts,
                                         Map<K, Map<String, HealthTally.CurrencyTally>> currencies) {
        long[] c = counts.computeIfAbsent(key, x -> new long[9]);
        c[0] += r.get("contracts", Long.class);
        c[1] += r.get("new_contracts", Long.class);
        c[2] += r.get("cross_contracts", Long.class);
        currencies.computeIfAbsent(key, x -> new java.util.TreeMap<>()).put(r.get("currency", String.class),
                new HealthTally.CurrencyTally(r.get("contracts", Long.class), r.get("revenue", BigDecimal.class),
                        r.get("with_lines", Long.class), r.get("line_amount", BigDecimal.class),
                        r.get("high_amount", BigDecimal.class), r.get("high_contracts", Long.class)));
    }

    private static <K> void addActions(Record r, K key, Map<K, long[]> counts) {
        long[] c = counts.computeIfAbsent(key, x -> new long[9]);
        for (int i = 0; i < HealthDays.ACTIONS.columns().size(); i++) {
            c[3 + i] += r.get(HealthDays.ACTIONS.columns().get(i), Long.class);
        }
    }

    /**
     * Adds the counts of each bucket from the reps' days of this kind, if they are counted under this plan's
     * parameters; the check and the sums are one statement (one snapshot), so a recount committed meanwhile is seen
     * whole or not at all. Whether they were.
     */
    private <K> boolean fromDays(HealthDays.Kind kind, Scope reps, String repId, LocalDate from, LocalDate to,
                                 IncentivePlan plan, Bucket<K> bucketing, Map<K, long[]> counts,
                                 Map<K, Map<String, HealthTally.CurrencyTally>> currencies) {
        HealthDays.Basis basis = HealthDays.Basis.of(plan);
        Binds b = new Binds();
        String ok = "exists (select 1 from health_tally_basis where id = 1 and follow_up_within = "
                + b.at(basis.followUpWithin()) + " and task_closure_within = " + b.at(basis.taskClosureWithin())
                + " and key_types = " + b.at(PgArrays.text(basis.keyTypeArray())) + " and new_customer = "
                + b.at(basis.newCustomer()) + " and new_customer_window = " + b.at(basis.newCustomerWindow())
                + " and high_margin_pct = " + b.at(basis.highMarginPct()) + ")";
        String where = reps(reps, "d.rep_id", b) + " and d.day >= " + b.at(from) + " and d.day < " + b.at(to)
                + (repId == null ? "" : " and d.rep_id = " + b.at(repId));
        List<String> sums = new ArrayList<>();
        for (int i = 0; i < kind.columns().size(); i++) {
            sums.add("sum(d." + kind.columns().get(i) + ")::" + kind.types().get(i) + " as " + kind.columns().get(i));
        }
        String keys = kind.keys().stream().map(k -> ", d." + k).collect(java.util.stream.Collectors.joining());
        String sql = "select basis.ok, t.* from (select " + ok + " as ok) basis left join lateral (select "
                + bucketing.ofDay() + " as bucket" + keys + ", " + String.join(", ", sums) + " from " + kind.table()
                + " d where basis.ok and " + where + " group by 1" + (keys.isEmpty() ? "" : ", 2") + ") t on true";
        org.jooq.Result<Record> rows = db.fetch(sql, b.array());
        if (!rows.get(0).get("ok", Boolean.class)) {
            return false;
        }
        for (Record r : rows) {
            if (r.get("bucket") == null) {
                continue; // no day counted: the lateral join's empty row
            }
            K key = bucketing.key().apply(r);
            if (kind == HealthDays.CONTRACTS) {
                addContracts(r, key, counts, currencies);
            } else {
                addActions(r, key, counts);
            }
        }
        return true;
    }

    private static <K> Map<K, HealthTally> nonEmpty(Map<K, long[]> counts,
                                                    Map<K, Map<String, HealthTally.CurrencyTally>> currencies) {
        Map<K, HealthTally> tallies = new LinkedHashMap<>();
        counts.forEach((k, c) -> {
            HealthTally t = new HealthTally(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8],
                    currencies.getOrDefault(k, Map.of()));
            if (!t.equals(HealthTally.NONE)) {
                tallies.put(k, t);
            }
        });
        return tallies;
    }

    /**
     * The first {@code shown} ids of the rows {@code which} keeps, oldest first (by time, then id), as an array (the
     * slice's colon stands between spaces: jOOQ reads {@code :100} as a named parameter).
     */
    private static String firstIds(String alias, String which, int shown) {
        return "coalesce((array_agg(" + alias + ".action_id order by " + alias + ".occurred_at, " + alias
                + ".action_id collate \"C\") filter (where " + which + "))[1 : " + shown + "], '{}') ";
    }

    @Override
    public RepPeriod repPeriod(Scope reps, String repId, LocalDate from, LocalDate to, IncentivePlan plan,
                               int shown) {
        if (shown < 0) {
            throw new IllegalArgumentException("shown must be 0 or more; got " + shown);
        }
        // contracts: one row per currency, and the grand total (grouping set ()) whose arrays are the evidence of
        // the metrics over every currency, ordered across them
        Binds b = new Binds();
        String where = where(reps, repId, from, to, "k", b);
        String isNew = isNew(plan, b);
        String contracts = "select k.currency, grouping(k.currency) as every_currency, count(*) as contracts, "
                + "coalesce(sum(k.amount), 0) as revenue, "
                + "count(*) filter (where " + isNew + ") as new_contracts, "
                + "count(*) filter (where k.departments >= 2) as cross_contracts, "
                + "count(*) filter (where k.has_lines) as with_lines, "
                + "coalesce(sum(l.total), 0) as line_amount, coalesce(sum(l.high), 0) as high_amount, "
                + "count(*) filter (where l.high_lines > 0) as high_contracts, "
                + firstIds("k", isNew, shown) + "as new_ids, "
                + firstIds("k", "k.departments >= 2", shown) + "as cross_ids, "
                + firstIds("k", "l.high_lines > 0", shown) + "as high_ids "
                + "from health_contract k "
                + "left join lateral (select sum(l.amount) as total, "
                + "coalesce(sum(l.amount) filter (where " + highLine(plan, b) + "), 0) as high, "
                + "count(*) filter (where " + highLine(plan, b) + ") as high_lines "
                + "from health_contract_line l where l.action_id = k.action_id) l on k.has_lines "
                + "where " + where + " group by grouping sets ((k.currency), ())";
        long contractCount = 0;
        long newContracts = 0;
        long crossContracts = 0;
        Map<String, HealthTally.CurrencyTally> currencies = new java.util.TreeMap<>();
        Map<HealthMetric, List<String>> evidence = new java.util.EnumMap<>(HealthMetric.class);
        Map<String, List<String>> highMargin = new HashMap<>();
        for (Record r : db.fetch(contracts, b.array())) {
            if (r.get("every_currency", Integer.class) == 1) {
                evidence.put(HealthMetric.NEW_CUSTOMER_SHARE, ids(r, "new_ids"));
                evidence.put(HealthMetric.CROSS_DEPARTMENT_DEALS, ids(r, "cross_ids"));
                continue;
            }
            contractCount += r.get("contracts", Long.class);
            newContracts += r.get("new_contracts", Long.class);
            crossContracts += r.get("cross_contracts", Long.class);
            String currency = r.get("currency", String.class);
            currencies.put(currency, new HealthTally.CurrencyTally(r.get("contracts", Long.class),
                    r.get("revenue", BigDecimal.class), r.get("with_lines", Long.class),
                    r.get("line_amount", BigDecimal.class), r.get("high_amount", BigDecimal.class),
                    r.get("high_contracts", Long.class)));
            highMargin.put(currency, ids(r, "high_ids"));
        }
        // actions: one row, the rep's counts and the first evidence ids of the three action metrics
        b = new Binds();
        where = where(reps, repId, from, to, "a", b);
        String followed = "a.is_signal and a.customer_open and a.next_sales_at <= a.occurred_at + "
                + b.at(plan.followUpWithin().toString()) + "::interval";
        String key = "a.is_sales and a.type = any("
                + b.at(PgArrays.text(plan.keyActionTypes().toArray(String[]::new))) + ")";
        String observed = key + " and exists (select 1 from health_observed o where o.ref_action_id = a.action_id)";
        String closed = "a.type = 'VisitLogged' and a.next_other_sales_at <= a.occurred_at + "
                + b.at(plan.taskClosureWithin().toString()) + "::interval";
        String actions = "select count(*) filter (where a.is_signal and a.customer_open) as signals, "
                + "count(*) filter (where " + followed + ") as followed, "
                + "count(*) filter (where " + key + ") as key_actions, "
                + "count(*) filter (where " + observed + ") as observed, "
                + "count(*) filter (where a.type = 'VisitLogged') as visits, "
                + "count(*) filter (where " + closed + ") as visits_closed, "
                + firstIds("a", followed, shown) + "as followed_ids, "
                + firstIds("a", observed, shown) + "as observed_ids, "
                + firstIds("a", closed, shown) + "as closed_ids "
                + "from health_action a where " + where;
        Record a = db.fetchOne(actions, b.array());
        evidence.put(HealthMetric.FOLLOW_UP_TIMELINESS, ids(a, "followed_ids"));
        evidence.put(HealthMetric.CUSTOMER_ACTION_COMPLETION_RATE, ids(a, "observed_ids"));
        evidence.put(HealthMetric.TASK_CLOSURE_RATE, ids(a, "closed_ids"));
        HealthTally tally = new HealthTally(contractCount, newContracts, crossContracts, a.get("signals", Long.class),
                a.get("followed", Long.class), a.get("key_actions", Long.class), a.get("observed", Long.class),
                a.get("visits", Long.class), a.get("visits_closed", Long.class), currencies);
        return new RepPeriod(tally.equals(HealthTally.NONE) ? HealthTally.NONE : tally, evidence, highMargin);
    }

    private static List<String> ids(Record r, String column) {
        String[] ids = r.get(column, String[].class);
        return ids == null ? List.of() : List.of(ids);
    }

    private static String where(Scope reps, String repId, LocalDate from, LocalDate to, String alias, Binds b) {
        String where = reps(reps, alias + ".rep_id", b) + " and " + alias + ".occurred_at >= " + b.at(start(from))
                + " and " + alias + ".occurred_at < " + b.at(start(to));
        if (repId != null) {
            where += " and " + alias + ".rep_id = " + b.at(repId);
        }
        return where;
    }

    @Override
    public List<String> evidence(Scope reps, String repId, HealthMetric metric, String currency, LocalDate from,
                                 LocalDate to, IncentivePlan plan, int offset, int limit) {
        Binds b = new Binds();
        String sql;
        switch (metric) {
            case NEW_CUSTOMER_SHARE, HIGH_MARGIN_SHARE, CROSS_DEPARTMENT_DEALS -> {
                String where = where(reps, repId, from, to, "k", b);
                String which = switch (metric) {
                    case NEW_CUSTOMER_SHARE -> isNew(plan, b);
                    case CROSS_DEPARTMENT_DEALS -> "k.departments >= 2";
                    default -> "k.has_lines and exists (select 1 from health_contract_line l "
                            + "where l.action_id = k.action_id and " + highLine(plan, b) + ")"
                            + (currency == null ? "" : " and k.currency = " + b.at(currency));
                };
                sql = "select k.action_id from health_contract k where " + where + " and " + which
                        + " order by k.occurred_at, k.action_id collate \"C\"";
            }
            default -> {
                String where = where(reps, repId, from, to, "a", b);
                String which = switch (metric) {
                    case FOLLOW_UP_TIMELINESS -> "a.is_signal and a.customer_open and a.next_sales_at <= "
                            + "a.occurred_at + " + b.at(plan.followUpWithin().toString()) + "::interval";
                    case CUSTOMER_ACTION_COMPLETION_RATE -> "a.is_sales and a.type = any("
                            + b.at(PgArrays.text(plan.keyActionTypes().toArray(String[]::new)))
                            + ") and exists (select 1 from health_observed o where o.ref_action_id = a.action_id)";
                    default -> "a.type = 'VisitLogged' and a.next_other_sales_at <= a.occurred_at + "
                            + b.at(plan.taskClosureWithin().toString()) + "::interval";
                };
                sql = "select a.action_id from health_action a where " + where + " and " + which
                        + " order by a.occurred_at, a.action_id collate \"C\"";
            }
        }
        sql += " offset " + b.at(offset) + " limit " + b.at(limit);
        return db.fetch(sql, b.array()).getValues(0, String.class);
    }
}
