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
import org.salesledger.projections.jooq.tables.records.FunnelCustomerRecord;
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

    FunnelProjection(DSLContext db) {
        this.db = db;
    }

    @EventHandler
    void on(CustomerRegistered registered, @SequenceNumber Long sequence, MetaData metadata) {
        OffsetDateTime time = occurredAt(metadata);
        db.insertInto(FUNNEL_CUSTOMER)
                .set(FUNNEL_CUSTOMER.CUSTOMER_ID, registered.customerId().value())
                .set(FUNNEL_CUSTOMER.NAME, registered.name())
                .set(FUNNEL_CUSTOMER.REGION, registered.region())
                .set(FUNNEL_CUSTOMER.TEAM, registered.team())
                .set(FUNNEL_CUSTOMER.OWNER_REP_ID, registered.ownerRepId().value())
                .set(FUNNEL_CUSTOMER.CHANNEL, registered.channel())
                .set(FUNNEL_CUSTOMER.REGISTERED_AT, time)
                .set(FUNNEL_CUSTOMER.STAGE, Stage.FIRST_CONTACT.name())
                .set(FUNNEL_CUSTOMER.STAGE_ENTERED_AT, time)
                .set(FUNNEL_CUSTOMER.FURTHEST_RANK, (short) Stage.FIRST_CONTACT.ordinal())
                .set(FUNNEL_CUSTOMER.LAST_ACTION_AT, time)
                .set(FUNNEL_CUSTOMER.LAST_ACTION_TYPE, ActionTypes.nameOf(registered))
                .set(FUNNEL_CUSTOMER.LAST_SEQ, sequence)
                .onConflictDoNothing()
                .execute();
        enter(registered.customerId().value(), Stage.FIRST_CONTACT, time);
    }

    @EventHandler
    void on(CustomerAction action, @SequenceNumber Long sequence, MetaData metadata) {
        FunnelCustomerRecord customer = db.selectFrom(FUNNEL_CUSTOMER)
                .where(FUNNEL_CUSTOMER.CUSTOMER_ID.eq(action.customerId().value()))
                .fetchOne();
        if (customer == null || sequence <= customer.getLastSeq()) {
            return;
        }
        OffsetDateTime time = occurredAt(metadata);
        customer.setLastSeq(sequence);
        if (!time.isBefore(customer.getLastActionAt())) {
            customer.setLastActionAt(time);
            customer.setLastActionType(ActionTypes.nameOf(action));
        }
        Stage before = Stage.valueOf(customer.getStage());
        Stage after = Lifecycle.next(before, action);
        if (after != before) {
            customer.setStage(after.name());
            customer.setStageEnteredAt(time);
            if (after != Stage.LOST) {
                customer.setFurthestRank((short) Math.max(customer.getFurthestRank(), after.ordinal()));
            }
            db.update(FUNNEL_STAGE_STAY)
                    .set(FUNNEL_STAGE_STAY.EXITED_AT, time)
                    .where(FUNNEL_STAGE_STAY.CUSTOMER_ID.eq(customer.getCustomerId())
                            .and(FUNNEL_STAGE_STAY.STAGE.eq(before.name()))
                            .and(FUNNEL_STAGE_STAY.EXITED_AT.isNull()))
                    .execute();
            enter(customer.getCustomerId(), after, time);
        }
        customer.update();
    }

    private void enter(String customerId, Stage stage, OffsetDateTime time) {
        db.insertInto(FUNNEL_STAGE_STAY)
                .set(FUNNEL_STAGE_STAY.CUSTOMER_ID, customerId)
                .set(FUNNEL_STAGE_STAY.STAGE, stage.name())
                .set(FUNNEL_STAGE_STAY.ENTERED_AT, time)
                .onConflictDoNothing()
                .execute();
    }

    private static OffsetDateTime occurredAt(MetaData metadata) {
        return OffsetDateTime.parse((String) metadata.get(ActionMetadata.OCCURRED_AT));
    }

    @ResetHandler
    void reset() {
        db.truncate(FUNNEL_STAGE_STAY).execute();
        db.truncate(FUNNEL_CUSTOMER).execute();
    }
}
