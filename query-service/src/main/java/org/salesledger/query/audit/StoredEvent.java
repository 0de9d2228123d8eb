package org.salesledger.query.audit;

import java.sql.ResultSet;
import java.sql.SQLException;

/** One row of Axon's {@code domain_event_entry}, as the audit log reads it (store order: {@code globalIndex}). */
record StoredEvent(long globalIndex, String eventIdentifier, String aggregateIdentifier, long sequenceNumber,
                   String payloadType, String payloadRevision, byte[] payload, byte[] metaData, String timeStamp) {

    /** The columns {@link #of} reads, in a {@code SELECT} list. */
    static final String COLUMNS = "global_index, event_identifier, aggregate_identifier, sequence_number, "
            + "payload_type, payload_revision, payload, meta_data, time_stamp";

    static StoredEvent of(ResultSet row) throws SQLException {
        return new StoredEvent(row.getLong("global_index"), row.getString("event_identifier"),
                row.getString("aggregate_identifier"), row.getLong("sequence_number"), row.getString("payload_type"),
                row.getString("payload_revision"), row.getBytes("payload"), row.getBytes("meta_data"),
                row.getString("time_stamp"));
    }
}
