package org.salesledger.projections.timeline;

import static org.salesledger.projections.jooq.Tables.TIMELINE_EVENT;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.MetaData;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.envelope.ActionData;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.ActionTypes;
import org.springframework.stereotype.Component;

/**
 * Builds the timeline: one row per stored action, in the customer's stored order. Writes are keyed by the
 * envelope id and skip rows already there, so a replay or a redelivered batch changes nothing. Runs in the
 * {@value #GROUP} processing group; its rows are written in the transaction that moves its token.
 */
@Component
@ProcessingGroup(TimelineProjection.GROUP)
class TimelineProjection {

    static final String GROUP = "timeline";

    private final DSLContext db;

    TimelineProjection(DSLContext db) {
        this.db = db;
    }

    @EventHandler
    void on(CustomerAction action, @SequenceNumber Long sequence, @Timestamp Instant recordedAt, MetaData metadata) {
        String time = (String) metadata.get(ActionMetadata.OCCURRED_AT);
        db.insertInto(TIMELINE_EVENT)
                .set(TIMELINE_EVENT.ACTION_ID, (String) metadata.get(ActionMetadata.ACTION_ID))
                .set(TIMELINE_EVENT.CUSTOMER_ID, action.customerId().value())
                .set(TIMELINE_EVENT.SEQ, sequence)
                .set(TIMELINE_EVENT.TYPE, ActionTypes.nameOf(action))
                .set(TIMELINE_EVENT.OCCURRED_AT, OffsetDateTime.parse(time))
                .set(TIMELINE_EVENT.TIME_TEXT, time)
                .set(TIMELINE_EVENT.ACTOR, (String) metadata.get(ActionMetadata.ACTOR))
                .set(TIMELINE_EVENT.SOURCE, (String) metadata.get(ActionMetadata.SOURCE))
                .set(TIMELINE_EVENT.DEVICE_ID, (String) metadata.get(ActionMetadata.DEVICE_ID))
                .set(TIMELINE_EVENT.CLIENT_IP, (String) metadata.get(ActionMetadata.CLIENT_IP))
                .set(TIMELINE_EVENT.RECORDED_AT, recordedAt.atOffset(ZoneOffset.UTC))
                .set(TIMELINE_EVENT.DATA, JSONB.valueOf(ActionData.render(action).toString()))
                .onConflictDoNothing()
                .execute();
    }

    @ResetHandler
    void reset() {
        db.truncate(TIMELINE_EVENT).execute();
    }
}
