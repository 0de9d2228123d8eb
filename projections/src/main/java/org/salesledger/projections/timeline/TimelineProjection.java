package org.salesledger.projections.timeline;

import static org.salesledger.projections.jooq.Tables.TIMELINE_EVENT;
import static org.salesledger.projections.jooq.Tables.TIMELINE_OWNERSHIP;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.MetaData;
import org.jooq.DSLContext;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.envelope.ActionData;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.envelope.StoredTimes;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.value.RepId;
import org.salesledger.projections.jooq.tables.TimelineEvent;
import org.salesledger.projections.jooq.tables.TimelineOwnership;
import org.salesledger.projections.batch.PgArrays;
import org.salesledger.projections.isolation.BatchIsolation;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Builds the timeline: one row per stored action, in the customer's stored order. The rows of one processor
 * batch are written as one multi-row insert when the batch commits — in the transaction that also moves the
 * processor's token, through {@link BatchIsolation} (a row that cannot be written is parked, not skipped) — and rows
 * already there (by envelope id) are skipped, so a replay or a redelivered batch
 * changes nothing. Beside them, in the same statement's transaction, a row of {@code timeline_ownership} for each
 * registration and change of owner: what the timeline's scope is decided by (contract §7). Runs in the
 * {@value #GROUP} processing group.
 */
@Component
@ProcessingGroup(TimelineProjection.GROUP)
class TimelineProjection {

    static final String GROUP = "timeline";

    private final DSLContext db;
    private final ReadModelTables tables;
    private final BatchIsolation isolation;

    TimelineProjection(DSLContext db, ReadModelTables tables) {
        this(db, tables, new BatchIsolation(db, null));
    }

    @Autowired
    TimelineProjection(DSLContext db, @Qualifier(TimelineTables.BEAN) ReadModelTables tables,
                       BatchIsolation isolation) {
        this.db = db;
        this.tables = tables;
        this.isolation = isolation;
    }

    private TimelineEvent events() {
        return TIMELINE_EVENT.rename(tables.writeName(TIMELINE_EVENT.getName()));
    }

    private TimelineOwnership ownership() {
        return TIMELINE_OWNERSHIP.rename(tables.writeName(TIMELINE_OWNERSHIP.getName()));
    }

    @EventHandler
    void on(CustomerAction action, @SequenceNumber Long sequence, @Timestamp Instant recordedAt, MetaData metadata) {
        String time = (String) metadata.get(ActionMetadata.OCCURRED_AT);
        StoredTimes.offsetDateTime(time); // the stored time must read as one; PostgreSQL converts the text when written
        Row row = new Row((String) metadata.get(ActionMetadata.ACTION_ID), action.customerId().value(), sequence,
                ActionTypes.nameOf(action), time, (String) metadata.get(ActionMetadata.ACTOR),
                (String) metadata.get(ActionMetadata.SOURCE), (String) metadata.get(ActionMetadata.DEVICE_ID),
                (String) metadata.get(ActionMetadata.CLIENT_IP), recordedAt.toString(),
                ActionData.render(action).toString(), (String) metadata.get(ActionMetadata.RECORDED_BY),
                ownershipOf(action));
        isolation.handle(GROUP, row.customerId(), sequence, row, this::write);
    }

    /**
     * A row of {@code timeline_event}, its times as ISO-8601 text; {@code ownership}: what the action says of whose
     * customer it is, {@code null} when nothing.
     */
    private record Row(String actionId, String customerId, long seq, String type, String time, String actor,
                       String source, String deviceId, String clientIp, String recordedAt, String data,
                       String recordedBy, Ownership ownership) {
    }

    /** A registration (its region and owner) or a change of owner ({@code ownerRepId} null: to the public pool). */
    private record Ownership(boolean registered, String region, String ownerRepId) {
    }

    private static Ownership ownershipOf(CustomerAction action) {
        if (action instanceof CustomerRegistered registered) {
            return new Ownership(true, registered.region(), rep(registered.ownerRepId()));
        }
        if (action instanceof CustomerReassigned reassigned) {
            return new Ownership(false, null, rep(reassigned.toRepId()));
        }
        if (action instanceof CustomerReleasedToPool) {
            return new Ownership(false, null, null);
        }
        return null;
    }

    private static String rep(RepId rep) {
        return rep == null ? null : rep.value();
    }

    /**
     * One statement for the whole batch, its rows passed as one array per column ({@code unnest}, bound by
     * {@link PgArrays}): the statement's text, and so its server-side plan, is the same for every batch, where a
     * multi-row {@code VALUES} list has a new text (and a new parse) for every batch size, and a bind value per cell.
     */
    private void write(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        String[][] text = new String[11][n];
        Long[] seq = new Long[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            text[0][i] = row.actionId();
            text[1][i] = row.customerId();
            seq[i] = row.seq();
            text[2][i] = row.type();
            text[3][i] = row.time();
            text[4][i] = row.actor();
            text[5][i] = row.source();
            text[6][i] = row.deviceId();
            text[7][i] = row.clientIp();
            text[8][i] = row.recordedAt();
            text[9][i] = row.data();
            text[10][i] = row.recordedBy();
        }
        db.execute("insert into {0} (action_id, customer_id, seq, type, occurred_at, time_text, actor, source, "
                        + "device_id, client_ip, recorded_at, data, recorded_by) "
                        + "select action_id, customer_id, seq, type, time_text::timestamptz, time_text, actor, source, "
                        + "device_id, client_ip, recorded_at::timestamptz, data::jsonb, recorded_by "
                        + "from unnest({1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12}) "
                        + "as v (action_id, customer_id, seq, type, time_text, actor, source, device_id, client_ip, "
                        + "recorded_at, data, recorded_by) "
                        + "on conflict do nothing",
                events(), PgArrays.text(text[0]), PgArrays.text(text[1]), PgArrays.bigint(seq),
                PgArrays.text(text[2]), PgArrays.text(text[3]), PgArrays.text(text[4]), PgArrays.text(text[5]),
                PgArrays.text(text[6]), PgArrays.text(text[7]), PgArrays.text(text[8]), PgArrays.text(text[9]),
                PgArrays.text(text[10]));
        writeOwnership(rows);
    }

    /** The batch's registrations and changes of owner, one statement; a repeated one (by sequence) is skipped. */
    private void writeOwnership(List<Row> rows) {
        List<Row> changes = new ArrayList<>();
        for (Row row : rows) {
            if (row.ownership() != null) {
                changes.add(row);
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        int n = changes.size();
        String[] customers = new String[n];
        Long[] seq = new Long[n];
        Boolean[] registered = new Boolean[n];
        String[] regions = new String[n];
        String[] owners = new String[n];
        for (int i = 0; i < n; i++) {
            Row row = changes.get(i);
            customers[i] = row.customerId();
            seq[i] = row.seq();
            registered[i] = row.ownership().registered();
            regions[i] = row.ownership().region();
            owners[i] = row.ownership().ownerRepId();
        }
        db.execute("insert into {0} (customer_id, seq, registered, region, owner_rep_id) "
                        + "select customer_id, seq, registered, region, owner_rep_id "
                        + "from unnest({1}, {2}, {3}, {4}, {5}) as v (customer_id, seq, registered, region, owner_rep_id) "
                        + "on conflict do nothing",
                ownership(), PgArrays.text(customers), PgArrays.bigint(seq), PgArrays.of(registered),
                PgArrays.text(regions), PgArrays.text(owners));
    }

    @ResetHandler
    void reset() {
        db.truncate(events()).execute();
        db.truncate(ownership()).execute();
    }
}
