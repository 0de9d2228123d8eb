package org.salesledger.projections.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** The timeline as the query side reads it. */
public interface TimelineReadModel {

    /**
     * The customer's actions in stored order; with {@code asOf}, only those that had happened by then (their
     * {@code time} at or before it). Empty when the customer is unknown.
     */
    Optional<Timeline> timeline(String customerId, OffsetDateTime asOf);

    record Timeline(String customerId, List<Entry> events) {
    }

    /** One action: {@code id} is the envelope id; source, device and recording time say where it came from. */
    record Entry(String id, String type, String time, String actor, JsonNode data, String source, String deviceId,
                 OffsetDateTime recordedAt) {
    }
}
