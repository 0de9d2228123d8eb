package org.salesledger.projections.talktrack;

import static org.salesledger.projections.jooq.Tables.TALKTRACK_CONTRACT;
import static org.salesledger.projections.jooq.Tables.TALKTRACK_CUSTOMER;
import static org.salesledger.projections.jooq.Tables.TALKTRACK_CYCLE;
import static org.salesledger.projections.jooq.Tables.TALKTRACK_USE;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.MetaData;
import org.jooq.DSLContext;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.StoredTimes;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.talktrack.TalkTrackFeedback;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.projections.jooq.tables.TalktrackContract;
import org.salesledger.projections.jooq.tables.TalktrackCustomer;
import org.salesledger.projections.jooq.tables.TalktrackCycle;
import org.salesledger.projections.jooq.tables.TalktrackUse;
import org.salesledger.projections.batch.PgArrays;
import org.salesledger.projections.isolation.BatchIsolation;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * What a talk-track script's measured effect is computed from: each use of a script ({@code TalkTrackFeedbackGiven}
 * with {@code USED}), each signed contract, and per customer its first proposal and first contract (earliest
 * {@code time}s); and whose customer each is (registration region, owner now) for the caller's scope. Writes are
 * keyed by envelope id, take the earliest time or the latest sequence number, so a replay changes nothing. A
 * processor batch is written as one multi-row statement per table when it commits (ADR 0039), through
 * {@link BatchIsolation}.
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
        String owner = registered.ownerRepId() == null ? null : registered.ownerRepId().value();
        owner(registered.customerId().value(), sequence, registered.region(), owner);
    }

    @EventHandler
    void on(CustomerReassigned reassigned, @SequenceNumber Long sequence, MetaData metadata) {
        String owner = reassigned.toRepId() == null ? null : reassigned.toRepId().value();
        owner(reassigned.customerId().value(), sequence, null, owner);
    }

    @EventHandler
    void on(CustomerReleasedToPool released, @SequenceNumber Long sequence, MetaData metadata) {
        owner(released.customerId().value(), sequence, null, null);
    }

    /** {@code region}: set by the registration only, {@code null} for a change of owner. */
    private void owner(String customer, Long sequence, String region, String owner) {
        long seq = sequence == null ? 0 : sequence;
        isolation.handle(GROUP, customer, seq, new Owner(customer, seq, region, owner), this::write);
    }

    @EventHandler
    void on(TalkTrackFeedbackGiven feedback, @SequenceNumber Long sequence, MetaData metadata) {
        if (feedback.feedback() != TalkTrackFeedback.USED) {
            return;
        }
        String customer = feedback.customerId().value();
        later(customer, sequence, new Use(actionId(metadata), customer, feedback.scriptId(), time(metadata)));
    }

    @EventHandler
    void on(ProposalSent proposal, @SequenceNumber Long sequence, MetaData metadata) {
        String customer = proposal.customerId().value();
        later(customer, sequence, new Cycle(customer, time(metadata), null));
    }

    @EventHandler
    void on(ContractSigned signed, @SequenceNumber Long sequence, MetaData metadata) {
        String customer = signed.customerId().value();
        At at = time(metadata);
        later(customer, sequence, new Contract(actionId(metadata), customer, at));
    }

    /**
     * Each event's rows are written with its batch when it commits, in the token's transaction; a customer whose
     * write fails is parked, never skipped (ADR 0022). An event without a readable time is parked by the dead-letter
     * queue before it gets here ({@link #time}).
     */
    private void later(String customer, Long sequence, Write write) {
        isolation.handle(GROUP, customer, sequence == null ? 0 : sequence, write, this::write);
    }

    /** What one event writes. */
    private sealed interface Write permits Owner, Use, Contract, Cycle {
    }

    /** A registration ({@code region} set) or change of owner at the customer's sequence number {@code seq}. */
    private record Owner(String customerId, long seq, String region, String ownerRepId) implements Write {
    }

    /** A use of a script. */
    private record Use(String actionId, String customerId, String scriptId, At usedAt) implements Write {
    }

    /** A signed contract; also the customer's first contract, if earliest. */
    private record Contract(String actionId, String customerId, At signedAt) implements Write {
    }

    /** A customer's first proposal and first contract seen so far; {@code null}: none. */
    private record Cycle(String customerId, At firstProposalAt, At firstContractAt) implements Write {

        Cycle and(Cycle other) {
            return new Cycle(customerId, At.earliest(firstProposalAt, other.firstProposalAt),
                    At.earliest(firstContractAt, other.firstContractAt));
        }
    }

    /** A stored time: its text as stored (PostgreSQL reads it) and the instant it names (to find the earliest). */
    private record At(String text, Instant instant) {

        static At earliest(At a, At b) {
            if (a == null) {
                return b;
            }
            if (b == null) {
                return a;
            }
            return b.instant.isBefore(a.instant) ? b : a;
        }
    }

    /**
     * The events of a batch (or one event, outside a processor), written as one multi-row statement per table, rows
     * passed as one array per column ({@code unnest}): rows of one key are folded first, since one statement may not
     * update a row twice. The folds give what the events applied one at a time would: of the owner changes, the one
     * with the highest sequence number, applied only over an older row; of the times of a cycle, the earliest.
     */
    private void write(List<Write> writes) {
        Map<String, Owner> owners = new LinkedHashMap<>();
        Map<String, Cycle> cycles = new LinkedHashMap<>();
        List<Use> uses = new ArrayList<>();
        List<Contract> contracts = new ArrayList<>();
        for (Write write : writes) {
            if (write instanceof Owner o) {
                owners.merge(o.customerId(), o, (was, now) -> new Owner(was.customerId(),
                        Math.max(was.seq(), now.seq()), now.region() != null ? now.region() : was.region(),
                        now.seq() > was.seq() ? now.ownerRepId() : was.ownerRepId()));
            } else if (write instanceof Use u) {
                uses.add(u);
            } else if (write instanceof Contract k) {
                contracts.add(k);
                cycles.merge(k.customerId(), new Cycle(k.customerId(), null, k.signedAt()), Cycle::and);
            } else if (write instanceof Cycle c) {
                cycles.merge(c.customerId(), c, Cycle::and);
            }
        }
        writeOwners(owners.values());
        writeUses(uses);
        writeContracts(contracts);
        writeCycles(cycles.values());
    }

    private void writeOwners(Collection<Owner> owners) {
        if (owners.isEmpty()) {
            return;
        }
        int n = owners.size();
        String[] customer = new String[n];
        String[] region = new String[n];
        String[] owner = new String[n];
        Long[] seq = new Long[n];
        int i = 0;
        for (Owner o : owners) {
            customer[i] = o.customerId();
            region[i] = o.region();
            owner[i] = o.ownerRepId();
            seq[i++] = o.seq();
        }
        // the region only comes with the registration; a change of owner keeps the row's
        db.execute("insert into {0} as t (customer_id, region, owner_rep_id, last_seq) "
                        + "select * from unnest({1}, {2}, {3}, {4}) as v (customer_id, region, owner_rep_id, last_seq) "
                        + "on conflict (customer_id) do update set owner_rep_id = excluded.owner_rep_id, "
                        + "last_seq = excluded.last_seq, region = coalesce(excluded.region, t.region) "
                        + "where t.last_seq < excluded.last_seq",
                customers(), PgArrays.text(customer), PgArrays.text(region), PgArrays.text(owner),
                PgArrays.bigint(seq));
    }

    private void writeUses(List<Use> uses) {
        if (uses.isEmpty()) {
            return;
        }
        int n = uses.size();
        String[][] text = new String[4][n];
        for (int i = 0; i < n; i++) {
            Use u = uses.get(i);
            text[0][i] = u.actionId();
            text[1][i] = u.customerId();
            text[2][i] = u.scriptId();
            text[3][i] = u.usedAt().text();
        }
        db.execute("insert into {0} (action_id, customer_id, script_id, used_at) "
                        + "select action_id, customer_id, script_id, used_at::timestamptz "
                        + "from unnest({1}, {2}, {3}, {4}) as v (action_id, customer_id, script_id, used_at) "
                        + "on conflict do nothing",
                uses(), PgArrays.text(text[0]), PgArrays.text(text[1]), PgArrays.text(text[2]),
                PgArrays.text(text[3]));
    }

    private void writeContracts(List<Contract> contracts) {
        if (contracts.isEmpty()) {
            return;
        }
        int n = contracts.size();
        String[][] text = new String[3][n];
        for (int i = 0; i < n; i++) {
            Contract k = contracts.get(i);
            text[0][i] = k.actionId();
            text[1][i] = k.customerId();
            text[2][i] = k.signedAt().text();
        }
        db.execute("insert into {0} (action_id, customer_id, signed_at) "
                        + "select action_id, customer_id, signed_at::timestamptz "
                        + "from unnest({1}, {2}, {3}) as v (action_id, customer_id, signed_at) "
                        + "on conflict do nothing",
                contracts(), PgArrays.text(text[0]), PgArrays.text(text[1]), PgArrays.text(text[2]));
    }

    private void writeCycles(Collection<Cycle> cycles) {
        if (cycles.isEmpty()) {
            return;
        }
        int n = cycles.size();
        String[][] text = new String[3][n];
        int i = 0;
        for (Cycle c : cycles) {
            text[0][i] = c.customerId();
            text[1][i] = c.firstProposalAt() == null ? null : c.firstProposalAt().text();
            text[2][i++] = c.firstContractAt() == null ? null : c.firstContractAt().text();
        }
        // least() passes over nulls: a time not known yet is taken, a later one never replaces an earlier one
        db.execute("insert into {0} as t (customer_id, first_proposal_at, first_contract_at) "
                        + "select customer_id, first_proposal_at::timestamptz, first_contract_at::timestamptz "
                        + "from unnest({1}, {2}, {3}) as v (customer_id, first_proposal_at, first_contract_at) "
                        + "on conflict (customer_id) do update set "
                        + "first_proposal_at = least(t.first_proposal_at, excluded.first_proposal_at), "
                        + "first_contract_at = least(t.first_contract_at, excluded.first_contract_at)",
                cycles(), PgArrays.text(text[0]), PgArrays.text(text[1]), PgArrays.text(text[2]));
    }

    private static String actionId(MetaData metadata) {
        return (String) metadata.get(ActionMetadata.ACTION_ID);
    }

    /** The event's stored time; an unreadable one throws, and the event is parked by the dead-letter queue. */
    private static At time(MetaData metadata) {
        String text = (String) metadata.get(ActionMetadata.OCCURRED_AT);
        return new At(text, StoredTimes.offsetDateTime(text).toInstant());
    }

    @ResetHandler
    void reset() {
        db.truncate(uses()).execute();
        db.truncate(contracts()).execute();
        db.truncate(cycles()).execute();
        db.truncate(customers()).execute();
    }
}
