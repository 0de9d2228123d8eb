package org.salesledger.projections.state;

import java.time.OffsetDateTime;
import org.salesledger.kernel.CustomerAction;

/**
 * One stored action as the state fold takes it: its envelope id and type, its {@code time} as sent, when it was
 * stored ({@code null} when not asked: only the changes show it), and the event itself ({@code null} for a type
 * that changes nothing but the last interaction, whose data is then not read).
 */
public record StoredAction(String actionId, String type, String time, OffsetDateTime recordedAt,
                           CustomerAction event) {
}
