package org.salesledger.kernel.customer;

import java.time.LocalDate;
import java.util.Map;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.CustomerId;

/**
 * The customer is set aside until a date, for a reason ("the champion is on holiday until the 20th"): it leaves the
 * stalled and idle work lists until the start of {@code until} (UTC), then returns to them. The latest snooze of a
 * customer replaces any earlier one, so a snooze until today or a past date ends a snooze early. Moves no stage
 * and is not an interaction with the customer.
 */
public record CustomerSnoozed(
        CustomerId customerId,
        LocalDate until,
        String reason,
        Map<String, Object> additional) implements CustomerAction {

    public CustomerSnoozed {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
