package org.salesledger.projections.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.MetaData;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.impl.DSL;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.ObjectionRaised;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.envelope.StoredTimes;
import org.salesledger.kernel.marketing.CustomerActionObserved;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.rules.RulePublished;
import org.salesledger.kernel.rules.RuleRetired;
import org.salesledger.kernel.value.ContractLine;
import org.salesledger.kernel.visit.VisitLogged;
import org.salesledger.projections.batch.PgArrays;
import org.salesledger.projections.isolation.BatchIsolation;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The facts rep health is computed from (contract §8, docs/health.md): per customer its owner now, whether it is won
 * or lost, its earliest contract and earliest effective contact; every sales action, signal and visit with the rep
 * who owned the customer when it was applied, and for signals and visits the time of the next sales action after
 * them; which actions a {@code CustomerActionObserved} names; every contract with its lines; and every version of the
 * {@code INCENTIVE} rules. None of these rows depends on the incentive plan: the plan's parameters are applied at
 * query time, so a new plan version changes the answers for past periods at once. Beside them, each rep's day of
 * counts ({@link HealthDays}), counted under the current plan's parameters and recounted in the transaction that
 * applies a plan changing them, so that a ranking need not read every action and contract of its period.
 *
 * <p>A processor batch is written set-based, in the token's transaction ({@link BatchIsolation}, a failing customer
 * parked): its customers read once, folded in stored order in Java, each table written with one statement of arrays
 * ({@code unnest}), the next sales actions of its customers' signals and visits recomputed in one statement.
 * Replay-safe: an event at or below its customer's last applied sequence number is skipped, rows are keyed by
 * envelope id ({@code on conflict do nothing}), and the earliest contract and contact keep the earlier value.
 */
@Component
@ProcessingGroup(HealthProjection.GROUP)
class HealthProjection {

    static final String GROUP = "health";
    /** The sequencing key of the rulebook's events (its aggregate identifier on the command side). */
    static final String RULEBOOK = "salesledger:rulebook";
    static final String INCENTIVE = "INCENTIVE";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext db;
    private final ReadModelTables tables;
    private final BatchIsolation isolation;
    private final HealthDays days;

    HealthProjection(DSLContext db, ReadModelTables tables) {
        this(db, tables, new BatchIsolation(db, null));
    }

    @Autowired
    HealthProjection(DSLContext db, @Qualifier(HealthTables.BEAN) ReadModelTables tables, BatchIsolation isolation) {
        this.db = db;
        this.tables = tables;
        this.isolation = isolation;
        this.days = new HealthDays(db, this::table);
    }

    private Name table(String name) {
        return DSL.name(tables.writeName(name));
    }

    /** Whether an action counts as a sales action (contract §8): not by {@code system}, not a customer's own act. */
    static boolean isSales(String type, String actor) {
        return !ActionMetadata.SYSTEM_ACTOR.equals(actor) && !"CustomerActionObserved".equals(type);
    }

    /** Whether an action is a customer signal (contract §8). */
    static boolean isSignal(CustomerAction action) {
        return action instanceof ObjectionRaised || action instanceof CustomerActionObserved;
    }

    /**
     * What one event asks of the tables: an action ({@code action} set) or a version of an INCENTIVE rule
     * ({@code plan} set). One type for both, because a processor batch has one writer.
     */
    record Fact(String customer, long seq, OffsetDateTime at, String actionId, String actor, String type,
                CustomerAction action, PlanChange plan) {
    }

    /** A version of a rule: {@code body} for an INCENTIVE one, {@code retired} for a retirement or another kind. */
    record PlanChange(String ruleId, int version, boolean retired, String body, OffsetDateTime at) {
    }

    @EventHandler
    void on(CustomerAction action, @SequenceNumber Long sequence, MetaData metadata) {
        Fact fact = fact(action, sequence, metadata);
        isolation.handle(GROUP, fact.customer(), fact.seq(), fact, this::write);
    }

    static Fact fact(CustomerAction action, Long sequence, MetaData metadata) {
        long seq = sequence == null ? 0 : sequence;
        OffsetDateTime at = StoredTimes.offsetDateTime((String) metadata.get(ActionMetadata.OCCURRED_AT));
        String actionId = (String) metadata.get(ActionMetadata.ACTION_ID);
        Objects.requireNonNull(actionId, "the action's id (metadata actionId)");
        return new Fact(action.customerId().value(), seq, at, actionId, (String) metadata.get(ActionMetadata.ACTOR),
                ActionTypes.nameOf(action), action, null);
    }

    @EventHandler
    void on(RulePublished published, @SequenceNumber Long sequence, @Timestamp Instant at) {
        boolean incentive = INCENTIVE.equals(published.rule().get("kind"));
        String body;
        try {
            body = incentive ? JSON.writeValueAsString(published.rule()) : null;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rule " + published.ruleId() + " has a body that is not JSON", e);
        }
        plan(sequence, new PlanChange(published.ruleId(), published.version(), !incentive, body, utc(at)));
    }

    @EventHandler
    void on(RuleRetired retired, @SequenceNumber Long sequence, @Timestamp Instant at) {
        plan(sequence, new PlanChange(retired.ruleId(), retired.version(), true, null, utc(at)));
    }

    private void plan(Long sequence, PlanChange change) {
        long seq = sequence == null ? 0 : sequence;
        isolation.handle(GROUP, RULEBOOK, seq, new Fact(RULEBOOK, seq, change.at(), null, null, null, null, change),
                this::write);
    }

    private static OffsetDateTime utc(Instant at) {
        return (at == null ? Instant.EPOCH : at).atOffset(ZoneOffset.UTC);
    }

    /** A customer as folded so far: loaded once per batch, then moved along the batch's events in order. */
    private static final class Folded {
        String owner;
        long ownerSeq = -1;
        boolean closed;
        long lastSeq = -1;
        boolean changed;
        OffsetDateTime firstContactAt;
        OffsetDateTime firstContractAt;
        long firstContractSeq;
        String firstContractId;
    }

    /**
     * A batch's events, set-based: the batch's customers are read once and folded in Java in stored order (the owner
     * and open/closed state each action is counted with), then each table is written with one statement of arrays,
     * and the next sales action after each signal and visit of those customers is recomputed in one statement — so
     * it is right whichever order the actions' times came in. An event at or below its customer's last applied
     * sequence number was applied before: skipped.
     */
    void write(List<Fact> facts) {
        List<Fact> actions = new ArrayList<>();
        boolean plans = false;
        for (Fact f : facts) {
            if (f.plan() != null) {
                plan(f.plan());
                plans = true;
            } else {
                actions.add(f);
            }
        }
        if (plans) {
            days.moveTo(HealthDays.Basis.of(currentPlan().plan()));
        }
        if (actions.isEmpty()) {
            return;
        }
        HealthDays.Basis basis = days.shared(() -> currentPlan().plan());
        Map<String, Folded> customers = load(actions);
        List<Object[]> actionRows = new ArrayList<>();
        List<Object[]> contractRows = new ArrayList<>();
        List<Object[]> lineRows = new ArrayList<>();
        List<String[]> observedRows = new ArrayList<>();
        for (Fact f : actions) {
            Folded c = customers.get(f.customer());
            if (f.seq() <= c.lastSeq) {
                continue; // applied before (a redelivery)
            }
            c.lastSeq = f.seq();
            c.changed = true;
            CustomerAction action = f.action();
            if (action instanceof CustomerRegistered registered) {
                c.owner = registered.ownerRepId() == null ? null : registered.ownerRepId().value();
                c.ownerSeq = f.seq();
            }
            boolean sales = isSales(f.type(), f.actor());
            boolean signal = isSignal(action);
            if (sales || signal || action instanceof VisitLogged) {
                actionRows.add(new Object[] {f.actionId(), f.customer(), f.seq(), c.owner, f.type(), f.at(), sales,
                        signal, !c.closed});
            }
            if (action instanceof VisitLogged || action instanceof CustomerActionObserved) {
                if (c.firstContactAt == null || f.at().isBefore(c.firstContactAt)) {
                    c.firstContactAt = f.at();
                }
            }
            if (action instanceof CustomerActionObserved observed && observed.refActionId() != null) {
                observedRows.add(new String[] {observed.refActionId(), f.customer()});
            } else if (action instanceof ContractSigned signed) {
                contract(signed, f, c, contractRows, lineRows);
                c.closed = true;
            } else if (action instanceof DealLost) {
                c.closed = true;
            } else if (action instanceof CustomerReassigned reassigned) {
                c.owner = reassigned.toRepId() == null ? null : reassigned.toRepId().value();
                c.ownerSeq = f.seq();
            } else if (action instanceof CustomerReleasedToPool) {
                c.owner = null;
                c.ownerSeq = f.seq();
            }
        }
        // the tallies move by the difference the batch makes to the counts of the customers whose action rows it
        // can change: its own, and those of earlier actions it observes
        String[] counted = counted(customers.keySet(), observedRows);
        var actionsBefore = days.count(HealthDays.ACTIONS, basis, counted);
        var contractsBefore = days.count(HealthDays.CONTRACTS, basis, counted);
        saveCustomers(customers);
        insertActions(actionRows);
        insertObserved(observedRows);
        insertContracts(contractRows, lineRows);
        nextSalesActions(customers.keySet());
        days.add(HealthDays.ACTIONS, actionsBefore, days.count(HealthDays.ACTIONS, basis, counted));
        days.add(HealthDays.CONTRACTS, contractsBefore, days.count(HealthDays.CONTRACTS, basis, counted));
    }

    private HealthReadModel.PlanVersion currentPlan() {
        return HealthQueries.currentPlan(db, table("health_plan"));
    }

    /**
     * The batch's customers (their action and contract rows, and their earliest contract and contact, change) and
     * the customers of the stored actions its observations name.
     */
    private String[] counted(Set<String> batch, List<String[]> observedRows) {
        Set<String> counted = new java.util.LinkedHashSet<>(batch);
        if (!observedRows.isEmpty()) {
            String[] refs = observedRows.stream().map(r -> r[0]).toArray(String[]::new);
            counted.addAll(db.fetch("select distinct customer_id from {0} where action_id = any({1})",
                    table("health_action"), PgArrays.text(refs)).getValues(0, String.class));
        }
        return counted.toArray(String[]::new);
    }

    private Map<String, Folded> load(List<Fact> actions) {
        Set<String> ids = new java.util.LinkedHashSet<>();
        actions.forEach(f -> ids.add(f.customer()));
        Map<String, Folded> customers = new HashMap<>();
        for (org.jooq.Record r : db.fetch("select customer_id, owner_rep_id, owner_seq, closed, last_seq from {0} "
                + "where customer_id = any({1})", table("health_customer"), PgArrays.text(ids.toArray(String[]::new)))) {
            Folded c = new Folded();
            c.owner = r.get("owner_rep_id", String.class);
            c.ownerSeq = r.get("owner_seq", Long.class);
            c.closed = r.get("closed", Boolean.class);
            c.lastSeq = r.get("last_seq", Long.class);
            customers.put(r.get("customer_id", String.class), c);
        }
        ids.forEach(id -> customers.computeIfAbsent(id, k -> new Folded()));
        return customers;
    }

    private void contract(ContractSigned signed, Fact f, Folded c, List<Object[]> contractRows,
                          List<Object[]> lineRows) {
        List<ContractLine> lines = signed.lines() == null ? List.of() : signed.lines();
        Set<String> departments = new HashSet<>();
        if (signed.departments() != null) {
            signed.departments().stream().filter(Objects::nonNull).forEach(departments::add);
        }
        contractRows.add(new Object[] {f.actionId(), f.customer(), f.seq(), c.owner, f.at(),
                signed.amount().currency(), signed.amount().value(), departments.size(), !lines.isEmpty()});
        for (int i = 0; i < lines.size(); i++) {
            ContractLine line = lines.get(i);
            lineRows.add(new Object[] {f.actionId(), i, lineAmount(line), line.grossMarginPct()});
        }
        if (c.firstContractAt == null || f.at().isBefore(c.firstContractAt)
                || (f.at().isEqual(c.firstContractAt) && f.seq() < c.firstContractSeq)) {
            c.firstContractAt = f.at();
            c.firstContractSeq = f.seq();
            c.firstContractId = f.actionId();
        }
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }

    private static String[] column(List<Object[]> rows, int i) {
        String[] values = new String[rows.size()];
        for (int r = 0; r < values.length; r++) {
            values[r] = text(rows.get(r)[i]);
        }
        return values;
    }

    private void saveCustomers(Map<String, Folded> customers) {
        List<Object[]> rows = new ArrayList<>();
        customers.forEach((id, c) -> {
            if (c.changed) {
                rows.add(new Object[] {id, c.owner, c.ownerSeq, c.closed, c.lastSeq, c.firstContactAt,
                        c.firstContractAt, c.firstContractAt == null ? null : c.firstContractSeq, c.firstContractId});
            }
        });
        if (rows.isEmpty()) {
            return;
        }
        // the batch's earliest contract and contact are compared with those stored: the earlier one stays
        db.execute("insert into {0} as c (customer_id, owner_rep_id, owner_seq, closed, last_seq, first_contact_at, "
                        + "first_contract_at, first_contract_seq, first_contract_id) "
                        + "select v.customer_id, v.owner_rep_id, v.owner_seq::bigint, v.closed::boolean, "
                        + "v.last_seq::bigint, v.first_contact_at::timestamptz, v.first_contract_at::timestamptz, "
                        + "v.first_contract_seq::bigint, v.first_contract_id "
                        + "from unnest({1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}) as v (customer_id, owner_rep_id, "
                        + "owner_seq, closed, last_seq, first_contact_at, first_contract_at, first_contract_seq, "
                        + "first_contract_id) "
                        + "on conflict (customer_id) do update set owner_rep_id = excluded.owner_rep_id, "
                        + "owner_seq = excluded.owner_seq, closed = excluded.closed, "
                        + "last_seq = greatest(c.last_seq, excluded.last_seq), "
                        + "first_contact_at = least(c.first_contact_at, excluded.first_contact_at), "
                        + "first_contract_id = case when " + EARLIER + " then excluded.first_contract_id "
                        + "else c.first_contract_id end, "
                        + "first_contract_seq = case when " + EARLIER + " then excluded.first_contract_seq "
                        + "else c.first_contract_seq end, "
                        + "first_contract_at = case when " + EARLIER + " then excluded.first_contract_at "
                        + "else c.first_contract_at end",
                table("health_customer"), PgArrays.text(column(rows, 0)), PgArrays.text(column(rows, 1)),
                PgArrays.text(column(rows, 2)), PgArrays.text(column(rows, 3)), PgArrays.text(column(rows, 4)),
                PgArrays.text(column(rows, 5)), PgArrays.text(column(rows, 6)), PgArrays.text(column(rows, 7)),
                PgArrays.text(column(rows, 8)));
    }

    /** Whether the batch's earliest contract comes before the one stored (by time, then sequence number). */
    private static final String EARLIER = "(excluded.first_contract_at is not null and (c.first_contract_at is null "
            + "or (excluded.first_contract_at, excluded.first_contract_seq) < (c.first_contract_at, "
            + "c.first_contract_seq)))";

    private void insertActions(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        db.execute("insert into {0} (action_id, customer_id, seq, rep_id, type, occurred_at, is_sales, is_signal, "
                        + "customer_open) select v.action_id, v.customer_id, v.seq::bigint, v.rep_id, v.type, "
                        + "v.occurred_at::timestamptz, v.is_sales::boolean, v.is_signal::boolean, "
                        + "v.customer_open::boolean from unnest({1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}) "
                        + "as v (action_id, customer_id, seq, rep_id, type, occurred_at, is_sales, is_signal, "
                        + "customer_open) on conflict do nothing",
                table("health_action"), PgArrays.text(column(rows, 0)), PgArrays.text(column(rows, 1)),
                PgArrays.text(column(rows, 2)), PgArrays.text(column(rows, 3)), PgArrays.text(column(rows, 4)),
                PgArrays.text(column(rows, 5)), PgArrays.text(column(rows, 6)), PgArrays.text(column(rows, 7)),
                PgArrays.text(column(rows, 8)));
    }

    private void insertObserved(List<String[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        String[] refs = rows.stream().map(r -> r[0]).toArray(String[]::new);
        String[] customers = rows.stream().map(r -> r[1]).toArray(String[]::new);
        db.execute("insert into {0} (ref_action_id, customer_id) select distinct on (ref_action_id) ref_action_id, "
                        + "customer_id from unnest({1}, {2}) as v (ref_action_id, customer_id) on conflict do nothing",
                table("health_observed"), PgArrays.text(refs), PgArrays.text(customers));
    }

    private void insertContracts(List<Object[]> contracts, List<Object[]> lines) {
        if (!contracts.isEmpty()) {
            db.execute("insert into {0} (action_id, customer_id, seq, rep_id, occurred_at, currency, amount, "
                            + "departments, has_lines) select v.action_id, v.customer_id, v.seq::bigint, v.rep_id, "
                            + "v.occurred_at::timestamptz, v.currency, v.amount::numeric, v.departments::integer, "
                            + "v.has_lines::boolean from unnest({1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}) as v "
                            + "(action_id, customer_id, seq, rep_id, occurred_at, currency, amount, departments, "
                            + "has_lines) on conflict do nothing",
                    table("health_contract"), PgArrays.text(column(contracts, 0)), PgArrays.text(column(contracts, 1)),
                    PgArrays.text(column(contracts, 2)), PgArrays.text(column(contracts, 3)),
                    PgArrays.text(column(contracts, 4)), PgArrays.text(column(contracts, 5)),
                    PgArrays.text(column(contracts, 6)), PgArrays.text(column(contracts, 7)),
                    PgArrays.text(column(contracts, 8)));
        }
        if (!lines.isEmpty()) {
            db.execute("insert into {0} (action_id, line_no, amount, gross_margin_pct) select v.action_id, "
                            + "v.line_no::integer, v.amount::numeric, v.gross_margin_pct::numeric "
                            + "from unnest({1}, {2}, {3}, {4}) as v (action_id, line_no, amount, gross_margin_pct) "
                            + "on conflict do nothing",
                    table("health_contract_line"), PgArrays.text(column(lines, 0)), PgArrays.text(column(lines, 1)),
                    PgArrays.text(column(lines, 2)), PgArrays.text(column(lines, 3)));
        }
    }

    /**
     * For every signal and visit of these customers: the earliest time later than its own of a sales action (for a
     * visit: of another type) on the same customer, whenever it was stored. Rows whose value does not change are
     * not written.
     */
    private void nextSalesActions(Set<String> customers) {
        Name actions = table("health_action");
        db.execute("update {0} a set next_sales_at = n.next_sales_at, next_other_sales_at = n.next_other_sales_at "
                        + "from (select b.action_id, "
                        + "case when b.is_signal then (select min(s.occurred_at) from {0} s "
                        + "where s.customer_id = b.customer_id and s.is_sales and s.occurred_at > b.occurred_at) "
                        + "end as next_sales_at, "
                        + "case when b.type = 'VisitLogged' then (select min(s.occurred_at) from {0} s "
                        + "where s.customer_id = b.customer_id and s.is_sales and s.type <> 'VisitLogged' "
                        + "and s.occurred_at > b.occurred_at) end as next_other_sales_at "
                        + "from {0} b where b.customer_id = any({1}) and (b.is_signal or b.type = 'VisitLogged')) n "
                        + "where a.action_id = n.action_id and (a.next_sales_at is distinct from n.next_sales_at "
                        + "or a.next_other_sales_at is distinct from n.next_other_sales_at)",
                actions, PgArrays.text(customers.toArray(String[]::new)));
    }

    /** quantity × unitPrice, exact; a line missing either is worth 0. */
    static BigDecimal lineAmount(ContractLine line) {
        if (line.quantity() == null || line.unitPrice() == null) {
            return BigDecimal.ZERO;
        }
        return line.quantity().multiply(line.unitPrice());
    }

    /** A version of an INCENTIVE rule; a retirement, or a version of another kind, only of a rule that was one. */
    private void plan(PlanChange change) {
        Name plans = table("health_plan");
        if (!change.retired()) {
            db.execute("insert into {0} (rule_id, version, retired, body, published_at) "
                            + "values ({1}, {2}, false, {3}::jsonb, {4}) on conflict do nothing",
                    plans, DSL.val(change.ruleId()), DSL.val(change.version()), DSL.val(change.body()),
                    DSL.val(change.at()));
        } else {
            db.execute("insert into {0} (rule_id, version, retired, body, published_at) "
                            + "select {1}, {2}, true, null, {3} where exists (select 1 from {0} where rule_id = {1}) "
                            + "on conflict do nothing",
                    plans, DSL.val(change.ruleId()), DSL.val(change.version()), DSL.val(change.at()));
        }
    }

    @ResetHandler
    void reset() {
        for (String t : HealthTables.TABLES) {
            db.truncate(DSL.table(table(t))).execute();
        }
    }
}
