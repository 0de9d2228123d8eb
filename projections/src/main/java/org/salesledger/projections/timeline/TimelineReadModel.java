package org.salesledger.projections.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.salesledger.kernel.access.Scope;

/** The timeline as the query side reads it. */
public interface TimelineReadModel {

    /**
     * The customer's actions in stored order; with {@code asOf}, only those that had happened by then (their
     * {@code time} at or before it). Empty when the customer is unknown or outside {@code scope} (its registration
     * region, its owner now).
     */
    default Optional<Timeline> timeline(Scope scope, String customerId, OffsetDateTime asOf) {
        return timeline(scope, customerId, asOf, Page.ALL);
    }

    /**
     * One page of the customer's actions in stored order: those stored after the cursor {@code page.after()}, at
     * most {@code page.limit()} of them. {@link Timeline#next()} is the cursor of the next page, {@code null} on
     * the last one. Empty when the customer is unknown or outside {@code scope}.
     */
    Optional<Timeline> timeline(Scope scope, String customerId, OffsetDateTime asOf, Page page);

    /** {@code after}: a {@link Timeline#next()} cursor, or {@code null} from the start; {@code limit}: or all. */
    record Page(Long after, Integer limit) {
        public static final Page ALL = new Page(null, null);
    }

    /** The actions; {@code next} is the cursor of the following page when there is one. */
    record Timeline(String customerId, List<Entry> events, Long next) {
        public Timeline(String customerId, List<Entry> events) {
            this(customerId, events, null);
        }
    }

    /**
     * One action: {@code id} is the envelope id; source, device and recording time say where it came from;
     * {@code recordedBy} who sent it (the token's user; {@code null} for actions stored before it was recorded).
     * {@code recordedAt} is the instant the event store took it, in UTC as {@code Instant.toString} (ISO_INSTANT)
     * writes it ({@code 2025-03-01T01:30:00.120Z}): exactly as the audit log's leaf has it (contract §9).
     */
    record Entry(String id, String type, String time, String actor, JsonNode data, String source, String deviceId,
                 String recordedAt, String recordedBy) {
    }
}
