package org.salesledger.projections.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
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
import org.salesledger.kernel.marketing.CustomerActionObserved;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.rules.RulePublished;
import org.salesledger.kernel.rules.RuleRetired;
import org.salesledger.kernel.value.ContractLine;
import org.salesledger.kernel.visit.VisitLogged;
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
 * {@code INCENTIVE} rules. Nothing here depends on the incentive plan: the plan's parameters are applied at query
 * time, so a new plan version changes the answers for past periods at once.
 *
 * <p>Replay-safe: rows are keyed by envelope id ({@code on conflict do nothing}), a change of owner is applied only
 * past the customer's last applied sequence number, and the other columns take the earliest value. Each event's
 * statements run in order with its processor batch, in the token's transaction ({@link BatchIsolation}).
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

    HealthProjection(DSLContext db, ReadModelTables tables) {
        this(db, tables, new BatchIsolation(db, null));
    }

    @Autowired
    HealthProjection(DSLContext db, @Qualifier(HealthTables.BEAN) ReadModelTables tables, BatchIsolation isolation) {
        this.db = db;
        this.tables = tables;
        this.isolation = isolation;
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

    @EventHandler
    void on(CustomerAction action, @SequenceNumber Long sequence, MetaData metadata) {
        String customer = action.customerId().value();
        long seq = sequence == null ? 0 : sequence;
        OffsetDateTime at = OffsetDateTime.parse((String) metadata.get(ActionMetadata.OCCURRED_AT));
        String actionId = (String) metadata.get(ActionMetadata.ACTION_ID);
        String actor = (String) metadata.get(ActionMetadata.ACTOR);
        Objects.requireNonNull(actionId, "the action's id (metadata actionId)");
        String type = ActionTypes.nameOf(action);
        isolation.handle(GROUP, customer, seq,
                (Runnable) () -> apply(action, customer, seq, at, actionId, actor, type),
                writes -> writes.forEach(Runnable::run));
    }

    private void apply(CustomerAction action, String customer, long seq, OffsetDateTime at, String actionId,
                       String actor, String type) {
        db.execute("insert into {0} as c (customer_id, last_seq) values ({1}, {2}) on conflict (customer_id) "
                        + "do update set last_seq = greatest(c.last_seq, excluded.last_seq)",
                table("health_customer"), DSL.val(customer), DSL.val(seq));
        if (action instanceof CustomerRegistered registered) {
            owner(customer, seq, registered.ownerRepId() == null ? null : registered.ownerRepId().value());
        }
        boolean sales = isSales(type, actor);
        boolean signal = isSignal(action);
        boolean visit = action instanceof VisitLogged;
        if (sales || signal || visit) {
            action(customer, seq, at, actionId, type, sales, signal, visit);
        }
        if (action instanceof VisitLogged) {
            firstContact(customer, at);
        } else if (action instanceof CustomerActionObserved observed) {
            firstContact(customer, at);
            if (observed.refActionId() != null) {
                db.execute("insert into {0} (ref_action_id, customer_id) values ({1}, {2}) on conflict do nothing",
                        table("health_observed"), DSL.val(observed.refActionId()), DSL.val(customer));
            }
        } else if (action instanceof ContractSigned signed) {
            contract(signed, customer, seq, at, actionId);
        } else if (action instanceof DealLost) {
            closed(customer);
        } else if (action instanceof CustomerReassigned reassigned) {
            owner(customer, seq, reassigned.toRepId() == null ? null : reassigned.toRepId().value());
        } else if (action instanceof CustomerReleasedToPool) {
            owner(customer, seq, null);
        }
    }

    /** A change of owner, applied only past the last one applied (a repeated one changes nothing). */
    private void owner(String customer, long seq, String owner) {
        db.execute("update {0} set owner_rep_id = {2}, owner_seq = {3} where customer_id = {1} and owner_seq < {3}",
                table("health_customer"), DSL.val(customer), DSL.val(owner, String.class), DSL.val(seq));
    }

    private void firstContact(String customer, OffsetDateTime at) {
        db.execute("update {0} set first_contact_at = least(coalesce(first_contact_at, {2}), {2}) "
                + "where customer_id = {1}", table("health_customer"), DSL.val(customer), DSL.val(at));
    }

    private void closed(String customer) {
        db.execute("update {0} set closed = true where customer_id = {1}", table("health_customer"), DSL.val(customer));
    }

    /**
     * The action's row — its rep and, for a signal, whether the customer was still open are read from the customer
     * as folded so far; for a signal or a visit, the next sales action already stored after it — then, for a sales
     * action, the signals and visits before it whose next sales action it now is.
     */
    private void action(String customer, long seq, OffsetDateTime at, String actionId, String type, boolean sales,
                        boolean signal, boolean visit) {
        Name actions = table("health_action");
        Name customers = table("health_customer");
        db.execute("insert into {0} (action_id, customer_id, seq, rep_id, type, occurred_at, is_sales, is_signal, "
                        + "customer_open, next_sales_at, next_other_sales_at) values ({2}, {3}, {4}, "
                        + "(select owner_rep_id from {1} where customer_id = {3}), {5}, {6}, {7}, {8}, "
                        + "not coalesce((select closed from {1} where customer_id = {3}), false), "
                        + "case when {8} then (select min(occurred_at) from {0} where customer_id = {3} and is_sales "
                        + "and occurred_at > {6}) end, "
                        + "case when {9} then (select min(occurred_at) from {0} where customer_id = {3} and is_sales "
                        + "and type <> 'VisitLogged' and occurred_at > {6}) end) "
                        + "on conflict do nothing",
                actions, customers, DSL.val(actionId), DSL.val(customer), DSL.val(seq), DSL.val(type), DSL.val(at),
                DSL.val(sales), DSL.val(signal), DSL.val(visit));
        if (sales) {
            boolean other = !"VisitLogged".equals(type);
            db.execute("update {0} set "
                            + "next_sales_at = case when is_signal and (next_sales_at is null or next_sales_at > {2}) "
                            + "then {2} else next_sales_at end, "
                            + "next_other_sales_at = case when {3} and type = 'VisitLogged' "
                            + "and (next_other_sales_at is null or next_other_sales_at > {2}) "
                            + "then {2} else next_other_sales_at end "
                            + "where customer_id = {1} and occurred_at < {2} and (is_signal or type = 'VisitLogged')",
                    actions, DSL.val(customer), DSL.val(at), DSL.val(other));
        }
    }

    private void contract(ContractSigned signed, String customer, long seq, OffsetDateTime at, String actionId) {
        Name customers = table("health_customer");
        List<ContractLine> lines = signed.lines() == null ? List.of() : signed.lines();
        Set<String> departments = new HashSet<>();
        if (signed.departments() != null) {
            signed.departments().stream().filter(Objects::nonNull).forEach(departments::add);
        }
        int inserted = db.execute("insert into {0} (action_id, customer_id, seq, rep_id, occurred_at, currency, amount, "
                        + "departments, has_lines) values ({2}, {3}, {4}, "
                        + "(select owner_rep_id from {1} where customer_id = {3}), {5}, {6}, {7}, {8}, {9}) "
                        + "on conflict do nothing",
                table("health_contract"), customers, DSL.val(actionId), DSL.val(customer), DSL.val(seq), DSL.val(at),
                DSL.val(signed.amount().currency()), DSL.val(signed.amount().value()), DSL.val(departments.size()),
                DSL.val(!lines.isEmpty()));
        if (inserted > 0 && !lines.isEmpty()) {
            for (int i = 0; i < lines.size(); i++) {
                ContractLine line = lines.get(i);
                db.execute("insert into {0} (action_id, line_no, amount, gross_margin_pct) values ({1}, {2}, {3}, {4}) "
                                + "on conflict do nothing", table("health_contract_line"), DSL.val(actionId),
                        DSL.val(i), DSL.val(lineAmount(line)), DSL.val(line.grossMarginPct(), BigDecimal.class));
            }
        }
        db.execute("update {0} set first_contract_at = {2}, first_contract_seq = {3}, "
                        + "first_contract_id = {4} where customer_id = {1} and (first_contract_at is null "
                        + "or first_contract_at > {2} or (first_contract_at = {2} and first_contract_seq > {3}))",
                customers, DSL.val(customer), DSL.val(at), DSL.val(seq), DSL.val(actionId));
        closed(customer);
    }

    /** quantity × unitPrice, exact; a line missing either is worth 0. */
    static BigDecimal lineAmount(ContractLine line) {
        if (line.quantity() == null || line.unitPrice() == null) {
            return BigDecimal.ZERO;
        }
        return line.quantity().multiply(line.unitPrice());
    }

    @EventHandler
    void on(RulePublished published, @SequenceNumber Long sequence, @Timestamp Instant at) {
        long seq = sequence == null ? 0 : sequence;
        boolean incentive = INCENTIVE.equals(published.rule().get("kind"));
        String body;
        try {
            body = incentive ? JSON.writeValueAsString(published.rule()) : null;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rule " + published.ruleId() + " has a body that is not JSON", e);
        }
        isolation.handle(GROUP, RULEBOOK, seq, (Runnable) () -> plan(published.ruleId(), published.version(),
                !incentive, body, at), writes -> writes.forEach(Runnable::run));
    }

    @EventHandler
    void on(RuleRetired retired, @SequenceNumber Long sequence, @Timestamp Instant at) {
        long seq = sequence == null ? 0 : sequence;
        isolation.handle(GROUP, RULEBOOK, seq, (Runnable) () -> plan(retired.ruleId(), retired.version(), true, null,
                at), writes -> writes.forEach(Runnable::run));
    }

    /** A version of an INCENTIVE rule; a retirement, or a version of another kind, only of a rule that was one. */
    private void plan(String ruleId, int version, boolean retired, String body, Instant at) {
        Name plans = table("health_plan");
        OffsetDateTime when = at == null ? OffsetDateTime.parse("1970-01-01T00:00:00Z")
                : at.atOffset(java.time.ZoneOffset.UTC);
        if (!retired) {
            db.execute("insert into {0} (rule_id, version, retired, body, published_at) "
                            + "values ({1}, {2}, false, {3}::jsonb, {4}) on conflict do nothing",
                    plans, DSL.val(ruleId), DSL.val(version), DSL.val(body), DSL.val(when));
        } else {
            db.execute("insert into {0} (rule_id, version, retired, body, published_at) "
                            + "select {1}, {2}, true, null, {3} where exists (select 1 from {0} where rule_id = {1}) "
                            + "on conflict do nothing",
                    plans, DSL.val(ruleId), DSL.val(version), DSL.val(when));
        }
    }

    @ResetHandler
    void reset() {
        for (String t : HealthTables.TABLES) {
            db.truncate(DSL.table(table(t))).execute();
        }
    }
}
