package org.salesledger.projections.talktrack;

import static org.salesledger.projections.jooq.Tables.TALKTRACK_CONTRACT;
import static org.salesledger.projections.jooq.Tables.TALKTRACK_CUSTOMER;
import static org.salesledger.projections.jooq.Tables.TALKTRACK_CYCLE;
import static org.salesledger.projections.jooq.Tables.TALKTRACK_USE;

import java.time.OffsetDateTime;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.MetaData;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.talktrack.TalkTrackFeedback;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.projections.jooq.tables.TalktrackContract;
import org.salesledger.projections.jooq.tables.TalktrackCustomer;
import org.salesledger.projections.jooq.tables.TalktrackCycle;
import org.salesledger.projections.jooq.tables.TalktrackUse;
import org.salesledger.projections.isolation.BatchIsolation;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * What a talk-track script's measured effect is computed from: each use of a script ({@code TalkTrackFeedbackGiven}
 * with {@code USED}), each signed contract, and per customer its first proposal and first contract (earliest
 * {@code time}s); and whose customer each is (registration region, owner now) for the caller's scope. Writes are
 * keyed by envelope id, take the earliest time or the latest sequence number, so a replay changes nothing.
 */
@Component
@ProcessingGroup(TalkTrackProjection.GROUP)
class TalkTrackProjection {

    static final String GROUP = "talktrack";

    private final DSLContext db;
    private final ReadModelTables tables;
    private final BatchIsolation isolation;

    TalkTrackProjection(DSLContext db, ReadModelTables tables) {
        this(db, tables, new BatchIsolation(db, null));
    }

    @Autowired
    TalkTrackProjection(DSLContext db, @Qualifier(TalkTrackTables.BEAN) ReadModelTables tables,
                        BatchIsolation isolation) {
        this.db = db;
        this.tables = tables;
        this.isolation = isolation;
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

    private TalktrackCustomer customers() {
        return TALKTRACK_CUSTOMER.rename(tables.writeName(TALKTRACK_CUSTOMER.getName()));
    }

    @EventHandler
    void on(CustomerRegistered registered, @SequenceNumber Long sequence, MetaData metadata) {
        String customer = registered.customerId().value();
        long seq = sequence == null ? 0 : sequence;
        String owner = registered.ownerRepId() == null ? null : registered.ownerRepId().value();
        isolation.handle(GROUP, customer, seq, (Runnable) () -> owner(customer, seq, registered.region(), true, owner),
                writes -> writes.forEach(Runnable::run));
    }

    @EventHandler
    void on(CustomerReassigned reassigned, @SequenceNumber Long sequence, MetaData metadata) {
        String customer = reassigned.customerId().value();
        long seq = sequence == null ? 0 : sequence;
        String owner = reassigned.toRepId() == null ? null : reassigned.toRepId().value();
        isolation.handle(GROUP, customer, seq, (Runnable) () -> owner(customer, seq, null, false, owner),
                writes -> writes.forEach(Runnable::run));
    }

    @EventHandler
    void on(CustomerReleasedToPool released, @SequenceNumber Long sequence, MetaData metadata) {
        String customer = released.customerId().value();
        long seq = sequence == null ? 0 : sequence;
        isolation.handle(GROUP, customer, seq, (Runnable) () -> owner(customer, seq, null, false, null),
                writes -> writes.forEach(Runnable::run));
    }

    /**
     * The customer's region (set by its registration) and owner now, as of the event at {@code seq}: an event at or
     * below the one last applied changes nothing.
     */
    private void owner(String customerId, long seq, String region, boolean registration, String owner) {
        TalktrackCustomer c = customers();
        var insert = db.insertInto(c).set(c.CUSTOMER_ID, customerId).set(c.REGION, region).set(c.OWNER_REP_ID, owner)
                .set(c.LAST_SEQ, seq)
                .onConflict(c.CUSTOMER_ID).doUpdate()
                .set(c.OWNER_REP_ID, owner)
                .set(c.LAST_SEQ, seq);
        (registration ? insert.set(c.REGION, region) : insert).where(c.LAST_SEQ.lt(seq)).execute();
    }

    @EventHandler
    void on(TalkTrackFeedbackGiven feedback, @SequenceNumber Long sequence, MetaData metadata) {
        if (feedback.feedback() != TalkTrackFeedback.USED) {
            return;
        }
        later(feedback.customerId().value(), sequence, metadata, () -> used(feedback, metadata));
    }

    @EventHandler
    void on(ProposalSent proposal, @SequenceNumber Long sequence, MetaData metadata) {
        later(proposal.customerId().value(), sequence, metadata, () -> proposed(proposal, metadata));
    }

    @EventHandler
    void on(ContractSigned signed, @SequenceNumber Long sequence, MetaData metadata) {
        later(signed.customerId().value(), sequence, metadata, () -> signed(signed, metadata));
    }

    /**
     * Each event's statements run with its batch when it commits, in order, in the token's transaction; a customer
     * whose write fails is parked, never skipped (ADR 0022).
     */
    private void later(String customer, Long sequence, MetaData metadata, Runnable write) {
        time(metadata); // an event without a readable time is parked here, by the dead-letter queue
        isolation.handle(GROUP, customer, sequence == null ? 0 : sequence, write,
                writes -> writes.forEach(Runnable::run));
    }

    private void used(TalkTrackFeedbackGiven feedback, MetaData metadata) {
        TalktrackUse u = uses();
        db.insertInto(u)
                .set(u.ACTION_ID, (String) metadata.get(ActionMetadata.ACTION_ID))
                .set(u.CUSTOMER_ID, feedback.customerId().value())
                .set(u.SCRIPT_ID, feedback.scriptId())
                .set(u.USED_AT, time(metadata))
                .onConflictDoNothing()
                .execute();
    }

    private void proposed(ProposalSent proposal, MetaData metadata) {
        TalktrackCycle c = cycles();
        OffsetDateTime at = time(metadata);
        db.insertInto(c).set(c.CUSTOMER_ID, proposal.customerId().value()).set(c.FIRST_PROPOSAL_AT, at)
                .onConflict(c.CUSTOMER_ID).doUpdate()
                .set(c.FIRST_PROPOSAL_AT, DSL.least(DSL.coalesce(c.FIRST_PROPOSAL_AT, DSL.val(at)), DSL.val(at)))
                .execute();
    }

    private void signed(ContractSigned signed, MetaData metadata) {
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
        db.truncate(customers()).execute();
    }
}
