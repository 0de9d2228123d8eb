package org.salesledger.projections.timeline;

import static org.salesledger.projections.jooq.Tables.TIMELINE_EVENT;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.JSONB;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.envelope.ActionData;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.projections.jooq.tables.TimelineEvent;
import org.salesledger.projections.jooq.tables.records.TimelineEventRecord;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Builds the timeline: one row per stored action, in the customer's stored order. The rows of one processor
 * batch are written as one multi-row insert when the batch commits — in the transaction that also moves the
 * processor's token — and rows already there (by envelope id) are skipped, so a replay or a redelivered batch
 * changes nothing. Runs in the {@value #GROUP} processing group.
 */
@Component
@ProcessingGroup(TimelineProjection.GROUP)
class TimelineProjection {

    static final String GROUP = "timeline";
    private static final String PENDING = TimelineProjection.class.getName() + ".pending";

    private final DSLContext db;
    private final ReadModelTables tables;

    TimelineProjection(DSLContext db, @Qualifier(TimelineTables.BEAN) ReadModelTables tables) {
        this.db = db;
        this.tables = tables;
    }

    private TimelineEvent events() {
        return TIMELINE_EVENT.rename(tables.writeName(TIMELINE_EVENT.getName()));
    }

    @EventHandler
    void on(CustomerAction action, @SequenceNumber Long sequence, @Timestamp Instant recordedAt, MetaData metadata) {
        String time = (String) metadata.get(ActionMetadata.OCCURRED_AT);
        TimelineEventRecord row = new TimelineEventRecord();
        row.setActionId((String) metadata.get(ActionMetadata.ACTION_ID));
        row.setCustomerId(action.customerId().value());
        row.setSeq(sequence);
        row.setType(ActionTypes.nameOf(action));
        row.setOccurredAt(OffsetDateTime.parse(time));
        row.setTimeText(time);
        row.setActor((String) metadata.get(ActionMetadata.ACTOR));
        row.setSource((String) metadata.get(ActionMetadata.SOURCE));
        row.setDeviceId((String) metadata.get(ActionMetadata.DEVICE_ID));
        row.setClientIp((String) metadata.get(ActionMetadata.CLIENT_IP));
        row.setRecordedAt(recordedAt.atOffset(ZoneOffset.UTC));
        row.setData(JSONB.valueOf(ActionData.render(action).toString()));
        if (CurrentUnitOfWork.isStarted()) {
            pendingRows(CurrentUnitOfWork.get().root()).add(row);
        } else {
            write(List.of(row));
        }
    }

    /** The rows of the current batch, written when it commits, before the token is stored. */
    private List<TimelineEventRecord> pendingRows(UnitOfWork<?> batch) {
        return batch.getOrComputeResource(PENDING, key -> {
            List<TimelineEventRecord> rows = new ArrayList<>();
            batch.onPrepareCommit(u -> write(rows));
            return rows;
        });
    }

    /**
     * One statement for the whole batch, its rows passed as one array per column ({@code unnest}): the statement's
     * text, and so its server-side plan, is the same for every batch, where a multi-row {@code VALUES} list has a new
     * text (and a new parse) for every batch size, and a bind value per cell.
     */
    private void write(List<TimelineEventRecord> rows) {
        if (rows.isEmpty()) {
            return;
        }
        TimelineEvent t = events();
        String[] data = new String[rows.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = rows.get(i).getData().data();
        }
        db.execute("insert into {0} (action_id, customer_id, seq, type, occurred_at, time_text, actor, source, "
                        + "device_id, client_ip, recorded_at, data) "
                        + "select action_id, customer_id, seq, type, occurred_at, time_text, actor, source, device_id, "
                        + "client_ip, recorded_at, data::jsonb "
                        + "from unnest({1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12}) "
                        + "as v (action_id, customer_id, seq, type, occurred_at, time_text, actor, source, device_id, "
                        + "client_ip, recorded_at, data) "
                        + "on conflict do nothing",
                t,
                column(rows, TimelineEventRecord::getActionId, String[]::new),
                column(rows, TimelineEventRecord::getCustomerId, String[]::new),
                column(rows, TimelineEventRecord::getSeq, Long[]::new),
                column(rows, TimelineEventRecord::getType, String[]::new),
                column(rows, TimelineEventRecord::getOccurredAt, OffsetDateTime[]::new),
                column(rows, TimelineEventRecord::getTimeText, String[]::new),
                column(rows, TimelineEventRecord::getActor, String[]::new),
                column(rows, TimelineEventRecord::getSource, String[]::new),
                column(rows, TimelineEventRecord::getDeviceId, String[]::new),
                column(rows, TimelineEventRecord::getClientIp, String[]::new),
                column(rows, TimelineEventRecord::getRecordedAt, OffsetDateTime[]::new),
                DSL.val(data));
    }

    private static <T> Field<T[]> column(List<TimelineEventRecord> rows, Function<TimelineEventRecord, T> value,
                                         IntFunction<T[]> array) {
        T[] values = array.apply(rows.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = value.apply(rows.get(i));
        }
        return DSL.val(values);
    }

    @ResetHandler
    void reset() {
        db.truncate(events()).execute();
    }
}
