package org.salesledger.projections.funnel;

import static org.salesledger.projections.jooq.Tables.FUNNEL_CUSTOMER;
import static org.salesledger.projections.jooq.Tables.FUNNEL_STAGE_STAY;

import java.time.OffsetDateTime;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.MetaData;
import org.jooq.DSLContext;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.lifecycle.Lifecycle;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.rules.RuleMade;
import org.jooq.Record4;
import org.salesledger.projections.jooq.tables.FunnelCustomer;
import org.salesledger.projections.jooq.tables.FunnelStageStay;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Builds the funnel read model: per customer its registration data, current stage (by the shared
 * {@link Lifecycle}), furthest stage reached and last action; per stage stay its entry and exit time. Times are
 * the actions' own ({@code time} of the envelope), never the clock. An action at or below the customer's last
 * applied sequence number is a repeat and changes nothing, so the model can be rebuilt from the first event.
 */
@Component
@ProcessingGroup(FunnelProjection.GROUP)
class FunnelProjection {

    static final String GROUP = "funnel";

    private final DSLContext db;
    private final ReadModelTables tables;

    FunnelProjection(DSLContext db, @Qualifier(FunnelTables.BEAN) ReadModelTables tables) {
        this.db = db;
        this.tables = tables;
    }

    private FunnelCustomer customers() {
        return FUNNEL_CUSTOMER.rename(tables.writeName(FUNNEL_CUSTOMER.getName()));
    }

    private FunnelStageStay stays() {
        return FUNNEL_STAGE_STAY.rename(tables.writeName(FUNNEL_STAGE_STAY.getName()));
    }

    @EventHandler
    void on(CustomerRegistered registered, @SequenceNumber Long sequence, MetaData metadata) {
        OffsetDateTime time = occurredAt(metadata);
        FunnelCustomer c = customers();
        db.insertInto(c)
                .set(c.CUSTOMER_ID, registered.customerId().value())
                .set(c.NAME, registered.name())
                .set(c.REGION, registered.region())
                .set(c.TEAM, registered.team())
                .set(c.OWNER_REP_ID, registered.ownerRepId().value())
                .set(c.CHANNEL, registered.channel())
                .set(c.REGISTERED_AT, time)
                .set(c.STAGE, Stage.FIRST_CONTACT.name())
                .set(c.STAGE_ENTERED_AT, time)
                .set(c.FURTHEST_RANK, (short) Stage.FIRST_CONTACT.ordinal())
                .set(c.LAST_ACTION_AT, time)
                .set(c.LAST_ACTION_TYPE, ActionTypes.nameOf(registered))
                .set(c.LAST_SEQ, sequence)
                .onConflictDoNothing()
                .execute();
        enter(registered.customerId().value(), Stage.FIRST_CONTACT, time);
    }

    /**
     * A new owner: the funnel's {@code rep} filter and the work lists use the current owner. Not an interaction with
     * the customer, so its last action stays.
     */
    @EventHandler
    void on(CustomerReassigned reassigned, @SequenceNumber Long sequence) {
        FunnelCustomer c = customers();
        if (reassigned.toRepId() == null) {
            return;
        }
        db.update(c)
                .set(c.OWNER_REP_ID, reassigned.toRepId().value())
                .set(c.LAST_SEQ, sequence)
                .where(c.CUSTOMER_ID.eq(reassigned.customerId().value()).and(c.LAST_SEQ.lt(sequence)))
                .execute();
    }

    @EventHandler
    void on(CustomerAction action, @SequenceNumber Long sequence, MetaData metadata) {
        if (action instanceof RuleMade) {
            return; // what rules record is neither a stage signal nor an interaction with the customer
        }
        FunnelCustomer c = customers();
        Record4<String, OffsetDateTime, Short, Long> customer = db
                .select(c.STAGE, c.LAST_ACTION_AT, c.FURTHEST_RANK, c.LAST_SEQ)
                .from(c)
                .where(c.CUSTOMER_ID.eq(action.customerId().value()))
                .fetchOne();
        if (customer == null || sequence <= customer.value4()) {
            return;
        }
        String id = action.customerId().value();
        OffsetDateTime time = occurredAt(metadata);
        var update = db.update(c).set(c.LAST_SEQ, sequence);
        if (!time.isBefore(customer.value2())) {
            update = update.set(c.LAST_ACTION_AT, time).set(c.LAST_ACTION_TYPE, ActionTypes.nameOf(action));
        }
        Stage before = Stage.valueOf(customer.value1());
        Stage after = Lifecycle.next(before, action);
        if (after != before) {
            update = update.set(c.STAGE, after.name()).set(c.STAGE_ENTERED_AT, time);
            if (after != Stage.LOST) {
                update = update.set(c.FURTHEST_RANK, (short) Math.max(customer.value3(), after.ordinal()));
            }
            FunnelStageStay stays = stays();
            db.update(stays)
                    .set(stays.EXITED_AT, time)
                    .where(stays.CUSTOMER_ID.eq(id).and(stays.STAGE.eq(before.name())).and(stays.EXITED_AT.isNull()))
                    .execute();
            enter(id, after, time);
        }
        update.where(c.CUSTOMER_ID.eq(id)).execute();
    }

    private void enter(String customerId, Stage stage, OffsetDateTime time) {
        FunnelStageStay stays = stays();
        db.insertInto(stays)
                .set(stays.CUSTOMER_ID, customerId)
                .set(stays.STAGE, stage.name())
                .set(stays.ENTERED_AT, time)
                .onConflictDoNothing()
                .execute();
    }

    private static OffsetDateTime occurredAt(MetaData metadata) {
        return OffsetDateTime.parse((String) metadata.get(ActionMetadata.OCCURRED_AT));
    }

    @ResetHandler
    void reset() {
        db.truncate(stays()).execute();
        db.truncate(customers()).execute();
    }
}
