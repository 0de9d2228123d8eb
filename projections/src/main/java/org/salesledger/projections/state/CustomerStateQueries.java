package org.salesledger.projections.state;

import static org.salesledger.projections.jooq.Tables.TIMELINE_EVENT;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record7;
import org.jooq.Result;
import org.jooq.impl.DSL;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.envelope.ActionData;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.lifecycle.Lifecycle;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.projections.timeline.TimelineScope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Repository;

/**
 * Reads a customer's actions from the timeline read model in one query — those with {@code time} ≤ asOf and
 * stored ({@code recorded_at}, the event store's timestamp) ≤ knownAt, ordered by {@code time}, ties by the
 * customer's stored order — and folds them in memory ({@link StateFold}). Only the types that change more than the
 * last interaction carry their data over the wire; the others are folded by type and time alone. Once the stage
 * is final (won or lost), the data of the types that only move the stage ({@link #STAGE_ONLY}) is not read either:
 * {@link Lifecycle#next} keeps a final stage whatever comes, so their records would change nothing (a customer with
 * thousands of actions is mostly a won one; bench scenario {@code state}). A state request starts from a snapshot
 * of an earlier request's fold when it is valid for the two instants asked (ADR 40, {@link #state}); the changes are
 * always folded from the first action.
 */
@Repository
class CustomerStateQueries implements CustomerStateReadModel {

    private static final ObjectMapper JSON = ActionData.mapper();

    /** The types whose data the fold reads. */
    static final Set<String> WITH_DATA = Set.of("CustomerRegistered", "NeedsConfirmed", "ProposalSent",
            "ObjectionRaised", "TrialRequested", "ContractSigned", "PaymentReceived", "DealLost", "CustomerSnoozed",
            "CustomerReassigned", "CustomerReleasedToPool", "CustomerClassified", "CustomerTagged",
            "CustomerUntagged");

    private static final String[] WITH_DATA_ARRAY = WITH_DATA.toArray(String[]::new);

    /** The types of {@link #WITH_DATA} whose data the fold reads for the stage alone ({@link StateFold#apply}). */
    static final Set<String> STAGE_ONLY = Set.of("NeedsConfirmed", "ProposalSent", "ObjectionRaised",
            "TrialRequested", "DealLost");

    /** A state request that folds at least this many actions keeps its fold for later ones (ADR 40). */
    static final int SNAPSHOT_FROM = 500;
    /** Customers whose snapshots are kept in memory (the least recently asked dropped first). */
    static final int SNAPSHOT_CUSTOMERS = 2_000;

    private final DSLContext db;
    private final TimelineScope scopes;
    private final int snapshotFrom;
    private final StateSnapshots snapshots = new StateSnapshots(SNAPSHOT_CUSTOMERS);
    private final AtomicLong reused = new AtomicLong();

    @Autowired
    CustomerStateQueries(DSLContext db) {
        this(db, SNAPSHOT_FROM);
    }

    /** With snapshots kept from {@code snapshotFrom} actions folded (tests keep them from very few). */
    CustomerStateQueries(DSLContext db, int snapshotFrom) {
        this.db = db;
        this.scopes = new TimelineScope(db);
        this.snapshotFrom = snapshotFrom;
    }

    /** How many state requests started from a snapshot (tests see that the snapshot path was taken). */
    long snapshotsReused() {
        return reused.get();
    }

    /**
     * The fold of the actions with {@code time} ≤ asOf stored by knownAt, in (time, seq) order — started from a kept
     * snapshot when one is valid for (asOf, knownAt), else from nothing. A snapshot S (the fold of the actions with
     * {@code (time, seq) ≤ (lastOccurredAt, lastSeq)} that one request read, {@code applied} of them) is valid when
     * (1) every action it folded is in the answer's set — {@code lastOccurredAt ≤ asOf} and {@code maxRecordedAt ≤
     * knownAt} — and (2) the answer's set holds exactly {@code applied} actions at or before S's last: then those are
     * S's, and no action known at knownAt that sorts inside S — a back-dated one stored later — is missing from it.
     * The rest is folded onto a copy of S: the actions after S's last in (time, seq).
     */
    @Override
    public Optional<CustomerState> state(Scope scope, String customerId, OffsetDateTime asOf,
                                         OffsetDateTime knownAt) {
        if (!visible(scope, customerId)) {
            return Optional.empty();
        }
        var t = TIMELINE_EVENT;
        Condition applicable = applicable(customerId, asOf, knownAt);
        StateSnapshots.Snapshot base = null;
        for (StateSnapshots.Snapshot s : snapshots.of(customerId)) {
            boolean inside = (asOf == null || !s.lastOccurredAt().isAfter(asOf))
                    && (knownAt == null || !s.maxRecordedAt().isAfter(knownAt));
            if (inside && db.fetchCount(t, applicable.and(DSL.row(t.OCCURRED_AT, t.SEQ)
                    .le(s.lastOccurredAt(), s.lastSeq()))) == s.applied()) {
                base = s;
                break;
            }
        }
        StateFold fold = base == null ? new StateFold() : base.fold().copy();
        if (base != null) {
            reused.incrementAndGet();
        }
        var rows = rows(base == null ? applicable : applicable.and(DSL.row(t.OCCURRED_AT, t.SEQ)
                .gt(base.lastOccurredAt(), base.lastSeq())));
        RowReader reader = new RowReader(customerId, fold.stage());
        OffsetDateTime maxRecordedAt = base == null ? null : base.maxRecordedAt();
        for (var r : rows) {
            StoredAction action = reader.read(r);
            // the fold's actions carry no storing time: only the changes show it
            fold.apply(new StoredAction(action.actionId(), action.type(), action.time(), null, action.event()));
            if (maxRecordedAt == null || action.recordedAt().isAfter(maxRecordedAt)) {
                maxRecordedAt = action.recordedAt();
            }
        }
        if (!rows.isEmpty() && fold.applied() >= snapshotFrom) {
            var last = rows.get(rows.size() - 1);
            snapshots.keep(customerId, new StateSnapshots.Snapshot(fold.copy(), last.value6(), last.value7(),
                    maxRecordedAt, fold.applied()));
        }
        return Optional.of(fold.state(customerId, text(asOf), text(knownAt)));
    }

    @Override
    public Optional<List<ActionChanges>> changes(Scope scope, String customerId, OffsetDateTime asOf,
                                                 OffsetDateTime knownAt) {
        if (!visible(scope, customerId)) {
            return Optional.empty();
        }
        RowReader reader = new RowReader(customerId, null);
        List<StoredAction> actions = new ArrayList<>();
        for (var r : rows(applicable(customerId, asOf, knownAt))) {
            actions.add(reader.read(r));
        }
        return Optional.of(StateFold.changesOf(actions));
    }

    /** The customer is in the timeline and in the caller's scope. */
    private boolean visible(Scope scope, String customerId) {
        return db.fetchExists(TIMELINE_EVENT, TIMELINE_EVENT.CUSTOMER_ID.eq(customerId))
                && scopes.covers(scope, customerId);
    }

    /** The customer's actions with {@code time} ≤ asOf stored by knownAt (either may be absent). */
    private static Condition applicable(String customerId, OffsetDateTime asOf, OffsetDateTime knownAt) {
        var t = TIMELINE_EVENT;
        return t.CUSTOMER_ID.eq(customerId)
                .and(asOf == null ? DSL.noCondition() : t.OCCURRED_AT.le(asOf))
                .and(knownAt == null ? DSL.noCondition() : t.RECORDED_AT.le(knownAt));
    }

    /**
     * The timeline's rows that {@code where} selects, in the fold's order (time, seq): id, type, time as sent,
     * storing time, the data (only of the types the fold reads), time, seq. The times are compared and ordered by in
     * SQL.
     */
    private Result<Record7<String, String, String, OffsetDateTime, JSONB, OffsetDateTime, Long>> rows(
            Condition where) {
        var t = TIMELINE_EVENT;
        var data = DSL.when(t.TYPE.eq(DSL.any(WITH_DATA_ARRAY)), t.DATA).else_(DSL.inline((JSONB) null));
        return db.select(t.ACTION_ID, t.TYPE, t.TIME_TEXT, t.RECORDED_AT, data, t.OCCURRED_AT, t.SEQ)
                .from(t)
                .where(where)
                .orderBy(t.OCCURRED_AT, t.SEQ)
                .fetch();
    }

    /**
     * Reads rows in the fold's order into stored actions, following the stage so as to skip reading the data of
     * the types that only move it once it is final ({@link #STAGE_ONLY}).
     */
    private static final class RowReader {
        private final String customerId;
        private Stage stage;

        RowReader(String customerId, Stage stage) {
            this.customerId = customerId;
            this.stage = stage;
        }

        StoredAction read(Record7<String, String, String, OffsetDateTime, JSONB, OffsetDateTime, Long> row) {
            String type = row.value2();
            boolean changesNothing = stage != null && stage.isFinal() && STAGE_ONLY.contains(type);
            CustomerAction event = changesNothing ? null : event(customerId, type, row.value5());
            if (event != null) {
                stage = Lifecycle.next(stage, event);
            }
            return new StoredAction(row.value1(), type, row.value3(), row.value4(), event);
        }
    }

    private static CustomerAction event(String customerId, String type, JSONB data) {
        if (data == null) {
            return null;
        }
        Class<? extends CustomerAction> record = ActionTypes.byName(type)
                .orElseThrow(() -> new IllegalStateException("the timeline holds an action of unknown type " + type));
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(data.data());
            node.put("customerId", customerId);
            return JSON.treeToValue(node, record);
        } catch (IOException e) {
            throw new IllegalStateException("the timeline's data of a " + type + " does not read as one", e);
        }
    }

    private static String text(OffsetDateTime t) {
        return t == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }
}
