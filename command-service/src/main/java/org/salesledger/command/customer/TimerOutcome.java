package org.salesledger.command.customer;

import java.time.Instant;
import java.util.List;
import org.salesledger.kernel.rules.RuleMade;

/** What a fired deadline recorded, and when the customer's next deadline falls ({@code null}: none). */
public record TimerOutcome(List<RuleMade> recorded, Instant nextDue) {

    public TimerOutcome {
        recorded = List.copyOf(recorded);
    }
}
