package org.salesledger.projections.talktrack;

import static org.salesledger.projections.jooq.Tables.TALKTRACK_CONTRACT;
import static org.salesledger.projections.jooq.Tables.TALKTRACK_CYCLE;
import static org.salesledger.projections.jooq.Tables.TALKTRACK_USE;

import java.time.OffsetDateTime;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.MetaData;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.talktrack.TalkTrackFeedback;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.projections.jooq.tables.TalktrackContract;
import org.salesledger.projections.jooq.tables.TalktrackCycle;
import org.salesledger.projections.jooq.tables.TalktrackUse;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * What a talk-track script's measured effect is computed from: each use of a script ({@code TalkTrackFeedbackGiven}
 * with {@code USED}), each signed contract, and per customer its first proposal and first contract (earliest
 * {@code time}s). Writes are keyed by envelope id or take the earliest time, so a replay changes nothing.
 */
@Component
@ProcessingGroup(TalkTrackProjection.GROUP)
class TalkTrackProjection {

    static final String GROUP = "talktrack";

    private final DSLContext db;
    private final ReadModelTables tables;

    TalkTrackProjection(DSLContext db, @Qualifier(TalkTrackTables.BEAN) ReadModelTables tables) {
        this.db = db;
        this.tables = tables;
    }

    private TalktrackUse uses() {
        return TALKTRACK_USE.rename(tables.writeName(TALKTRACK_USE.getName()));
    }

    private TalktrackContract contracts() {
        return TALKTRACK_CONTRACT.rename(tables.writeName(TALKTRACK_CONTRACT.getName()));
    }

    private TalktrackCycle cycles() {
        return TALKTRACK_CYCLE.rename(tables.writeName(TALKTRACK_CYCLE.getName()));
    }

    @EventHandler
    void on(TalkTrackFeedbackGiven feedback, MetaData metadata) {
        if (feedback.feedback() != TalkTrackFeedback.USED) {
            return;
        }
        TalktrackUse u = uses();
        db.insertInto(u)
                .set(u.ACTION_ID, (String) metadata.get(ActionMetadata.ACTION_ID))
                .set(u.CUSTOMER_ID, feedback.customerId().value())
                .set(u.SCRIPT_ID, feedback.scriptId())
                .set(u.USED_AT, time(metadata))
                .onConflictDoNothing()
                .execute();
    }

    @EventHandler
    void on(ProposalSent proposal, MetaData metadata) {
        TalktrackCycle c = cycles();
        OffsetDateTime at = time(metadata);
        db.insertInto(c).set(c.CUSTOMER_ID, proposal.customerId().value()).set(c.FIRST_PROPOSAL_AT, at)
                .onConflict(c.CUSTOMER_ID).doUpdate()
                .set(c.FIRST_PROPOSAL_AT, DSL.least(DSL.coalesce(c.FIRST_PROPOSAL_AT, DSL.val(at)), DSL.val(at)))
                .execute();
    }

    @EventHandler
    void on(ContractSigned signed, MetaData metadata) {
        OffsetDateTime at = time(metadata);
        TalktrackContract k = contracts();
        db.insertInto(k)
                .set(k.ACTION_ID, (String) metadata.get(ActionMetadata.ACTION_ID))
                .set(k.CUSTOMER_ID, signed.customerId().value())
                .set(k.SIGNED_AT, at)
                .onConflictDoNothing()
                .execute();
        TalktrackCycle c = cycles();
        db.insertInto(c).set(c.CUSTOMER_ID, signed.customerId().value()).set(c.FIRST_CONTRACT_AT, at)
                .onConflict(c.CUSTOMER_ID).doUpdate()
                .set(c.FIRST_CONTRACT_AT, DSL.least(DSL.coalesce(c.FIRST_CONTRACT_AT, DSL.val(at)), DSL.val(at)))
                .execute();
    }

    private static OffsetDateTime time(MetaData metadata) {
        return OffsetDateTime.parse((String) metadata.get(ActionMetadata.OCCURRED_AT));
    }

    @ResetHandler
    void reset() {
        db.truncate(uses()).execute();
        db.truncate(contracts()).execute();
        db.truncate(cycles()).execute();
    }
}
