package org.salesledger.projections.state;

import java.time.Instant;
import org.salesledger.kernel.CustomerAction;

/**
 * One stored action as the state fold takes it: its envelope id and type, its {@code time} as sent and as an
 * instant, when it was stored, and the event itself ({@code null} for a type that changes nothing but the last
 * interaction, whose data is then not read).
 */
public record StoredAction(String actionId, String type, String time, Instant occurredAt, Instant recordedAt,
                           CustomerAction event) {
}
