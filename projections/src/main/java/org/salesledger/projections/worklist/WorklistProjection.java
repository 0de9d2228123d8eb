package org.salesledger.projections.worklist;

import static org.salesledger.projections.jooq.Tables.WORKLIST_CUSTOMER;
import static org.salesledger.projections.jooq.Tables.WORKLIST_ESCALATION;
import static org.salesledger.projections.jooq.Tables.WORKLIST_TODO;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.MetaData;
import org.jooq.BatchBindStep;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Query;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.envelope.ActionData;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.envelope.StoredTimes;
import org.salesledger.kernel.lifecycle.Lifecycle;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.pool.PoolReleaseReminded;
import org.salesledger.kernel.rules.CollectionDue;
import org.salesledger.kernel.rules.CustomerClassified;
import org.salesledger.kernel.rules.EscalationRaised;
import org.salesledger.kernel.rules.FollowUpDue;
import org.salesledger.kernel.rules.RuleMade;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.kernel.talktrack.TalkTracksSuggested;
import org.salesledger.projections.jooq.tables.WorklistCustomer;
import org.salesledger.projections.jooq.tables.WorklistEscalation;
import org.salesledger.projections.jooq.tables.WorklistTodo;
import org.salesledger.projections.jooq.tables.records.WorklistCustomerRecord;
import org.salesledger.projections.batch.PgArrays;
import org.salesledger.projections.isolation.BatchIsolation;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Builds the work lists: the public pool, the open escalations and each rep's to-dos, from what the rules recorded
 * and the actions that answer it. An item is open from the rule-made event that creates it until the awaited action
 * arrives:
 * <ul>
 *   <li>an escalation ({@code EscalationRaised}) until an action of one of its {@code unless} types, or an action that
 *       moves the customer out of the escalated stage;</li>
 *   <li>a follow-up ({@code FollowUpDue}) until any action a person records on the customer;</li>
 *   <li>a collection ({@code CollectionDue}) until a {@code PaymentReceived} for its contract;</li>
 *   <li>a pool-release reminder ({@code PoolReleaseReminded}) until an action by the owner, the release, or a
 *       reassignment;</li>
 *   <li>a talk-track suggestion ({@code TalkTracksSuggested}) until {@code TalkTrackFeedbackGiven} answers it or the
 *       same rule suggests again (the earlier one then counts as unused).</li>
 * </ul>
 * Every event at or below the customer's last applied sequence number is a repeat and changes nothing, so the read
 * model can be rebuilt from the first event. Times are the events' own {@code time}s.
 */
@Component
@ProcessingGroup(WorklistProjection.GROUP)
class WorklistProjection {

    static final String GROUP = "worklists";

    private final DSLContext db;
    private final ReadModelTables tables;
    private final BatchIsolation isolation;
    private final Written<WorklistCustomer> customers = new Written<>(WORKLIST_CUSTOMER, WORKLIST_CUSTOMER::rename);
    private final Written<WorklistEscalation> escalations =
            new Written<>(WORKLIST_ESCALATION, WORKLIST_ESCALATION::rename);
    private final Written<WorklistTodo> todos = new Written<>(WORKLIST_TODO, WORKLIST_TODO::rename);

    WorklistProjection(DSLContext db, ReadModelTables tables) {
        this(db, tables, new BatchIsolation(db, null));
    }

    @Autowired
    WorklistProjection(DSLContext db, @Qualifier(WorklistTables.BEAN) ReadModelTables tables,
                       BatchIsolation isolation) {
        this.db = db;
        this.tables = tables;
        this.isolation = isolation;
    }

    private WorklistCustomer customers() {
        return customers.in(tables);
    }

    private WorklistEscalation escalations() {
        return escalations.in(tables);
    }

    private WorklistTodo todos() {
        return todos.in(tables);
    }

    @EventHandler
    void on(CustomerAction action, @SequenceNumber Long seq, MetaData metadata) {
        // an event without a readable time is parked here, by the processor's dead-letter queue, not at the write
        StoredTimes.offsetDateTime((String) metadata.get(ActionMetadata.OCCURRED_AT));
        isolation.handle(GROUP, action.customerId().value(), seq, new Event(action, seq, metadata), this::write);
    }

    /** One event of a batch, applied when the batch is written. */
    private record Event(CustomerAction action, long seq, MetaData metadata) {
    }

    /** Applies the events in order to their customers (loaded with one query), then writes the changed ones. */
    private void write(List<Event> events) {
        Batch batch = new Batch();
        Set<String> ids = new LinkedHashSet<>();
        events.forEach(e -> ids.add(e.action().customerId().value()));
        batch.load(ids);
        events.forEach(e -> batch.apply(e.action(), e.seq(), e.metadata()));
        batch.write();
    }

    /**
     * The work-list changes of one processor batch: its customers loaded with one query by its first event, every
     * event applied to them in memory, and the changed customers written with one statement when the batch commits,
     * in the transaction that also stores the processor's token. What an event opens or closes (escalations, to-dos)
     * is written at once, and only looked for while the customer has items open: rare.
     */
    private final class Batch {

        /** Customers by id; a null value: looked up, not registered. */
        private final Map<String, WorklistCustomerRecord> held = new HashMap<>();
        private final Set<String> changed = new LinkedHashSet<>();

        void load(Collection<String> ids) {
            List<String> missing = ids.stream().filter(id -> !held.containsKey(id)).toList();
            if (missing.isEmpty()) {
                return;
            }
            missing.forEach(id -> held.put(id, null));
            WorklistCustomer c = customers();
            String[] wanted = missing.toArray(String[]::new);
            for (WorklistCustomerRecord row
                    : db.selectFrom(c).where(c.CUSTOMER_ID.eq(DSL.any(PgArrays.text(wanted)))).fetch()) {
                held.put(row.getCustomerId(), row);
            }
        }

        void apply(CustomerAction action, long seq, MetaData metadata) {
            String id = action.customerId().value();
            if (!held.containsKey(id)) {
                load(List.of(id));
            }
            WorklistCustomerRecord customer = held.get(id);
            OffsetDateTime time = StoredTimes.offsetDateTime((String) metadata.get(ActionMetadata.OCCURRED_AT));
            String actionId = (String) metadata.get(ActionMetadata.ACTION_ID);
            if (action instanceof CustomerRegistered registered) {
                if (customer == null) {
                    WorklistCustomerRecord row = new WorklistCustomerRecord();
                    row.setCustomerId(id);
                    row.setName(registered.name());
                    row.setRegion(registered.region());
                    row.setOwnerRepId(registered.ownerRepId() == null ? null : registered.ownerRepId().value());
                    row.setStage(Stage.FIRST_CONTACT.name());
                    row.setLastActionAt(time);
                    row.setLastActionType(ActionTypes.nameOf(registered));
                    row.setLastActionId(actionId);
                    row.setInPool(false);
                    row.setLastSeq(seq);
                    row.setOpenItems(0);
                    held.put(id, row);
                    changed.add(id);
                }
                return;
            }
            if (customer == null || seq <= customer.getLastSeq()) {
                return;
            }
            // an item can only be closed when the customer has one open, which most customers most of the time do not
            boolean anyOpen = customer.getOpenItems() > 0;
            List<Query> closes = anyOpen ? closedBy(action, customer, seq, time, metadata) : List.of();
            boolean opened = action instanceof RuleMade made && recordMade(made, customer, anyOpen, seq, time, actionId);
            if (action instanceof CustomerClassified classified) {
                customer.setCustomerClass(classified.customerClass());
            } else if (action instanceof CustomerReleasedToPool released) {
                customer.setPreviousOwner(customer.getOwnerRepId());
                customer.setInPool(true);
                customer.setReleasedAt(time);
                customer.setReleasedByRule(released.ruleId());
            } else if (action instanceof CustomerReassigned reassigned) {
                if (reassigned.toRepId() != null) {
                    customer.setOwnerRepId(reassigned.toRepId().value());
                }
                customer.setInPool(false);
                customer.setReleasedAt(null);
                customer.setReleasedByRule(null);
            } else if (!(action instanceof RuleMade)) {
                customer.setStage(Lifecycle.next(Stage.valueOf(customer.getStage()), action).name());
                if (!time.isBefore(customer.getLastActionAt())) {
                    customer.setLastActionAt(time);
                    customer.setLastActionType(ActionTypes.nameOf(action));
                    customer.setLastActionId(actionId);
                }
            }
            if (!closes.isEmpty()) {
                db.batch(closes).execute();
            }
            if (opened || !closes.isEmpty()) {
                customer.setOpenItems(db.select(openItems(id)).fetchOne(0, Integer.class));
            }
            // last: an event that failed half-way (and goes to the dead-letter queue) is not taken as applied
            customer.setLastSeq(seq);
            changed.add(id);
        }

        /**
         * What the action closes of the customer's open items (looked for only when there are some), as the customer
         * stood before it: its stage and owner are those the action found.
         */
        private List<Query> closedBy(CustomerAction action, WorklistCustomerRecord customer, long seq,
                                     OffsetDateTime time, MetaData metadata) {
            String id = customer.getCustomerId();
            String actionId = (String) metadata.get(ActionMetadata.ACTION_ID);
            List<Query> closes = new ArrayList<>(5);
            WorklistTodo t = todos();
            if (action instanceof CustomerReleasedToPool) {
                closes.add(close(t, id, seq, "POOL_RELEASE", null, actionId, time, "RELEASED"));
            } else if (action instanceof CustomerReassigned) {
                closes.add(close(t, id, seq, "POOL_RELEASE", null, actionId, time, "REASSIGNED"));
            } else if (!(action instanceof RuleMade)) {
                String type = ActionTypes.nameOf(action);
                Stage before = Stage.valueOf(customer.getStage());
                Stage after = Lifecycle.next(before, action);
                WorklistEscalation e = escalations();
                Condition open = e.CUSTOMER_ID.eq(id).and(e.CLOSED_AT.isNull()).and(e.SEQ.lt(seq));
                closes.add(db.update(e).set(e.CLOSED_AT, time).set(e.CLOSED_BY, actionId)
                        .set(e.CLOSED_BECAUSE, "ACTION").where(open.and(e.UNLESS_TYPES.contains("," + type + ","))));
                if (after != before) {
                    closes.add(db.update(e).set(e.CLOSED_AT, time).set(e.CLOSED_BY, actionId)
                            .set(e.CLOSED_BECAUSE, "STAGE_LEFT").where(open.and(e.STAGE.ne(after.name()))));
                }
                closes.add(close(t, id, seq, "FOLLOW_UP", null, actionId, time, "ACTION"));
                String actor = (String) metadata.get(ActionMetadata.ACTOR);
                if (actor != null && actor.equals(customer.getOwnerRepId())) {
                    closes.add(close(t, id, seq, "POOL_RELEASE", null, actionId, time, "FOLLOW_UP"));
                }
                if (action instanceof PaymentReceived payment) {
                    closes.add(close(t, id, seq, "COLLECTION", payment.contractId(), actionId, time, "PAID"));
                } else if (action instanceof TalkTrackFeedbackGiven feedback) {
                    closes.add(close(t, id, seq, "TALK_TRACK", feedback.suggestionId(), actionId, time, "FEEDBACK"));
                }
            }
            return closes;
        }

        /** Every changed customer, new or not, in one statement. */
        void write() {
            if (changed.isEmpty()) {
                return;
            }
            WorklistCustomer c = customers();
            List<Field<?>> columns = List.of(c.CUSTOMER_ID, c.NAME, c.REGION, c.OWNER_REP_ID, c.CUSTOMER_CLASS,
                    c.STAGE, c.LAST_ACTION_AT, c.LAST_ACTION_TYPE, c.LAST_ACTION_ID, c.IN_POOL, c.RELEASED_AT,
                    c.PREVIOUS_OWNER, c.RELEASED_BY_RULE, c.LAST_SEQ, c.OPEN_ITEMS);
            Map<Field<?>, Field<?>> replaced = new LinkedHashMap<>();
            for (Field<?> column : columns.subList(1, columns.size())) {
                replaced.put(column, DSL.excluded(column));
            }
            BatchBindStep upsert = db.batch(db.insertInto(c).columns(columns)
                    .values(Collections.nCopies(columns.size(), null))
                    .onConflict(c.CUSTOMER_ID).doUpdate().set(replaced));
            for (String id : changed) {
                WorklistCustomerRecord r = held.get(id);
                upsert = upsert.bind(r.getCustomerId(), r.getName(), r.getRegion(), r.getOwnerRepId(),
                        r.getCustomerClass(), r.getStage(), r.getLastActionAt(), r.getLastActionType(),
                        r.getLastActionId(), r.getInPool(), r.getReleasedAt(), r.getPreviousOwner(),
                        r.getReleasedByRule(), r.getLastSeq(), r.getOpenItems());
            }
            upsert.execute();
            changed.clear();
        }
    }

    /** The customer's open escalations and to-dos, counted. */
    private Field<Integer> openItems(String customerId) {
        WorklistEscalation e = escalations();
        WorklistTodo t = todos();
        return DSL.field(DSL.selectCount().from(e).where(e.CUSTOMER_ID.eq(customerId).and(e.CLOSED_AT.isNull())))
                .plus(DSL.field(DSL.selectCount().from(t).where(t.CUSTOMER_ID.eq(customerId).and(t.CLOSED_AT.isNull()))));
    }

    /** Records the item a rule made; true when it opened or closed one. */
    private boolean recordMade(RuleMade made, WorklistCustomerRecord customer, boolean anyOpen, long seq,
                               OffsetDateTime time, String actionId) {
        String id = customer.getCustomerId();
        ObjectNode data = ActionData.render(made);
        if (made instanceof EscalationRaised raised) {
            WorklistEscalation e = escalations();
            return db.insertInto(e)
                    .set(e.ACTION_ID, actionId)
                    .set(e.CUSTOMER_ID, id)
                    .set(e.SEQ, seq)
                    .set(e.ESCALATED_TO, raised.to())
                    .set(e.STAGE, raised.stage())
                    .set(e.SINCE, raised.since().atOffset(time.getOffset()))
                    .set(e.RAISED_AT, time)
                    .set(e.AFTER, raised.after())
                    .set(e.UNLESS_TYPES, "," + String.join(",", raised.unless()) + ",")
                    .set(e.OWNER_REP_ID, raised.ownerRepId() == null ? null : raised.ownerRepId().value())
                    .set(e.RULE_ID, raised.ruleId())
                    .set(e.RULE_VERSION, raised.ruleVersion())
                    .onConflictDoNothing()
                    .execute() > 0;
        } else if (made instanceof FollowUpDue due) {
            return todo(actionId, id, seq, "FOLLOW_UP", due.ownerRepId() == null ? customer.getOwnerRepId()
                    : due.ownerRepId().value(), due.copyTo(), time, null, made.ruleId(), data);
        } else if (made instanceof CollectionDue due) {
            return todo(actionId, id, seq, "COLLECTION", due.ownerRepId() == null ? customer.getOwnerRepId()
                    : due.ownerRepId().value(), null, time, due.contractId(), made.ruleId(), data);
        } else if (made instanceof PoolReleaseReminded reminder) {
            return todo(actionId, id, seq, "POOL_RELEASE", reminder.ownerRepId() == null ? customer.getOwnerRepId()
                    : reminder.ownerRepId().value(), null, time, null, made.ruleId(), data);
        } else if (made instanceof TalkTracksSuggested suggested) {
            WorklistTodo t = todos();
            int superseded = !anyOpen ? 0 : db.update(t)
                    .set(t.CLOSED_AT, time).set(t.CLOSED_BY, actionId).set(t.CLOSED_BECAUSE, "SUPERSEDED")
                    .where(t.CUSTOMER_ID.eq(id).and(t.KIND.eq("TALK_TRACK")).and(t.RULE_ID.eq(made.ruleId()))
                            .and(t.CLOSED_AT.isNull()).and(t.SEQ.lt(seq)))
                    .execute();
            return todo(actionId, id, seq, "TALK_TRACK", customer.getOwnerRepId(), null, time,
                    suggested.suggestionId(), made.ruleId(), data) | superseded > 0;
        }
        return false;
    }

    private boolean todo(String actionId, String customerId, long seq, String kind, String rep, String copyTo,
                         OffsetDateTime due, String subject, String ruleId, ObjectNode details) {
        WorklistTodo t = todos();
        return db.insertInto(t)
                .set(t.ACTION_ID, actionId)
                .set(t.CUSTOMER_ID, customerId)
                .set(t.SEQ, seq)
                .set(t.KIND, kind)
                .set(t.REP_ID, rep)
                .set(t.COPY_TO, copyTo)
                .set(t.DUE_AT, due)
                .set(t.SUBJECT, subject)
                .set(t.RULE_ID, ruleId)
                .set(t.DETAILS, JSONB.valueOf(details.toString()))
                .onConflictDoNothing()
                .execute() > 0;
    }

    private Query close(WorklistTodo t, String customerId, long seq, String kind, String subject, String by,
                        OffsetDateTime at, String because) {
        Condition which = t.CUSTOMER_ID.eq(customerId).and(t.KIND.eq(kind)).and(t.CLOSED_AT.isNull()).and(t.SEQ.lt(seq));
        if (subject != null) {
            which = which.and(t.SUBJECT.eq(subject));
        }
        return db.update(t).set(t.CLOSED_AT, at).set(t.CLOSED_BY, by).set(t.CLOSED_BECAUSE, because).where(which);
    }

    /**
     * A table as the projection writes it now (live or shadow), renamed when that changes rather than per event:
     * renaming a generated table builds all its fields again.
     */
    private static final class Written<T extends Table<?>> {
        private final T live;
        private final Function<String, T> rename;
        private volatile T current;

        Written(T live, Function<String, T> rename) {
            this.live = live;
            this.rename = rename;
        }

        T in(ReadModelTables tables) {
            String name = tables.writeName(live.getName());
            T table = current;
            if (table == null || !table.getName().equals(name)) {
                table = rename.apply(name);
                current = table;
            }
            return table;
        }
    }

    @ResetHandler
    void reset() {
        db.truncate(todos()).execute();
        db.truncate(escalations()).execute();
        db.truncate(customers()).execute();
    }
}
