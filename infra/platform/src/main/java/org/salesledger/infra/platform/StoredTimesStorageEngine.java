package org.salesledger.infra.platform;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.salesledger.kernel.envelope.StoredTimes;

/**
 * Axon's JDBC event storage engine, reading each tracked event's {@code time_stamp} once and without java.time's
 * formatter (ADR 0047).
 *
 * <p>Axon's engine builds each row read by a processor into an entry that keeps the time as text and parses it with
 * {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME} every time it is asked: once for the gap timeout, as the row is
 * read, and again when the event's message asks for its time. Every processor reads every event, so that was about
 * 4 % of the system's CPU in an import (docs/benchmarks.md). Here the row is read exactly as Axon reads it — the same
 * columns, the same entry, the same gap-aware token from the same rules — but the time is parsed once, by
 * {@link StoredTimes} (the one form Axon stores digit by digit, anything else by java.time), and kept.
 * {@code StoredTimesStorageEngineIT} reads the same rows through both engines and compares what they give.
 */
public class StoredTimesStorageEngine extends JdbcEventStorageEngine {

    /**
     * Axon 4.13's defaults (its builder's bytecode), set on the builder here so that this class knows them (Axon keeps
     * its copies private).
     */
    static final long LOWEST_GLOBAL_SEQUENCE = 1;
    static final int MAX_GAP_OFFSET = 10_000;
    static final int GAP_TIMEOUT_MILLIS = 60_000;

    private final EventSchema schema;

    /**
     * @param builder Axon's builder, with everything but the schema and the gap settings, which this sets (the
     *                gap settings to Axon's defaults)
     * @param schema  the event table's schema
     */
    public StoredTimesStorageEngine(Builder builder, EventSchema schema) {
        super(builder.schema(schema)
                .lowestGlobalSequence(LOWEST_GLOBAL_SEQUENCE)
                .maxGapOffset(MAX_GAP_OFFSET)
                .gapTimeout(GAP_TIMEOUT_MILLIS));
        this.schema = schema;
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        long globalSequence = resultSet.getLong(schema.globalIndexColumn());
        String aggregateIdentifier = resultSet.getString(schema.aggregateIdentifierColumn());
        String eventIdentifier = resultSet.getString(schema.eventIdentifierColumn());
        TimedEntry entry = entry(resultSet, eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                eventIdentifier);
        Instant time = entry.time();
        boolean allowGaps = time.isAfter(GenericEventMessage.clock.instant().minus(GAP_TIMEOUT_MILLIS,
                ChronoUnit.MILLIS));
        GapAwareTrackingToken token;
        if (previousToken == null) {
            SortedSet<Long> gaps = allowGaps
                    ? LongStream.range(Math.min(LOWEST_GLOBAL_SEQUENCE, globalSequence), globalSequence).boxed()
                            .collect(Collectors.toCollection(TreeSet::new))
                    : Collections.emptySortedSet();
            token = GapAwareTrackingToken.newInstance(globalSequence, gaps);
        } else {
            token = previousToken.advanceTo(globalSequence, allowGaps ? MAX_GAP_OFFSET : 0);
        }
        return new TrackedDomainEventData<>(token, entry);
    }

    /** An event of an aggregate being loaded: Axon's entry, its time parsed once (the customer's handler asks it). */
    @Override
    protected DomainEventData<?> getDomainEventData(ResultSet resultSet) throws SQLException {
        return entry(resultSet, resultSet.getString(schema.aggregateIdentifierColumn()),
                resultSet.getString(schema.eventIdentifierColumn()));
    }

    /** The row's columns as Axon's entry takes them, with the time parsed as Axon's {@code parseInstant} would. */
    private TimedEntry entry(ResultSet resultSet, String aggregateIdentifier, String eventIdentifier)
            throws SQLException {
        Object timeText = readTimeStamp(resultSet, schema.timestampColumn());
        // what Axon's DateTimeUtils.parseInstant answers: Instant.from(ISO_OFFSET_DATE_TIME.parse(text))
        Instant time = StoredTimes.offsetDateTime(timeText.toString()).toInstant();
        return new TimedEntry(resultSet.getString(schema.typeColumn()), aggregateIdentifier,
                resultSet.getLong(schema.sequenceNumberColumn()), eventIdentifier, timeText, time,
                resultSet.getString(schema.payloadTypeColumn()), resultSet.getString(schema.payloadRevisionColumn()),
                readPayload(resultSet, schema.payloadColumn()), readPayload(resultSet, schema.metaDataColumn()));
    }

    /** Axon's entry, with its time parsed once when read. */
    record TimedEntry(GenericDomainEventEntry<Object> entry, Instant time) implements DomainEventData<Object> {

        TimedEntry(String type, String aggregateIdentifier, long sequenceNumber, String eventIdentifier,
                   Object timeText, Instant time, String payloadType, String payloadRevision, Object payload,
                   Object metaData) {
            this(new GenericDomainEventEntry<>(type, aggregateIdentifier, sequenceNumber, eventIdentifier, timeText,
                    payloadType, payloadRevision, payload, metaData), time);
        }

        @Override
        public Instant getTimestamp() {
            return time;
        }

        @Override
        public String getType() {
            return entry.getType();
        }

        @Override
        public String getAggregateIdentifier() {
            return entry.getAggregateIdentifier();
        }

        @Override
        public long getSequenceNumber() {
            return entry.getSequenceNumber();
        }

        @Override
        public String getEventIdentifier() {
            return entry.getEventIdentifier();
        }

        @Override
        public SerializedObject<Object> getMetaData() {
            return entry.getMetaData();
        }

        @Override
        public SerializedObject<Object> getPayload() {
            return entry.getPayload();
        }
    }
}
