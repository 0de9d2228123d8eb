package org.salesledger.infra.kafka.relay;

import java.time.Instant;

/**
 * One envelope ready to be sent: its key (the customer id), its value, the envelope id and when the event was
 * stored (the start of its publish latency).
 */
record PendingRecord(String key, byte[] value, String actionId, Instant storedAt) {
}
