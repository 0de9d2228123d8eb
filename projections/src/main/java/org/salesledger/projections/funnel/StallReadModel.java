package org.salesledger.projections.funnel;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.lifecycle.Stage;

/**
 * Which customers are stuck, which have gone quiet, and how long each customer spent in each stage. A customer
 * snoozed until a date is snoozed while that date is after the day of {@code now} (UTC): it returns to the lists
 * at the start of that day. Every list and answer holds only customers the caller's scope covers (contract §7); one
 * outside it is answered as if it did not exist.
 */
public interface StallReadModel {

    /**
     * Customers of the scope and the filter whose current (open) stage was entered at least {@code olderThan} before
     * {@code now}, oldest first, at most {@code limit}. A stage's threshold comes from {@code olderThan} when
     * given, else from the per-stage defaults. With {@code businessDays}, only Monday to Friday (UTC) count.
     * Customers snoozed past {@code now} are left out unless {@code includeSnoozed}.
     */
    List<StalledCustomer> stalled(Scope scope, FunnelReadModel.Filter filter, Stage stage, Duration olderThan,
                                  boolean businessDays, boolean includeSnoozed, Instant now, int limit);

    /**
     * Customers of the scope and the filter without any action for {@code days} days before {@code now}, oldest first; those
     * snoozed past {@code now} only with {@code includeSnoozed}.
     */
    List<StalledCustomer> idle(Scope scope, FunnelReadModel.Filter filter, int days, boolean includeClosed,
                               boolean includeSnoozed, Instant now, int limit);

    /** The customer's stays, in order of entry; empty when the customer is unknown or outside the scope. */
    Optional<List<StageStay>> stages(Scope scope, String customerId, Instant now);

    /**
     * One customer on a work list, with how long it has been waiting; {@code snoozedUntil} and
     * {@code snoozeReason} only while it is snoozed (until a day after {@code now}), else {@code null}.
     */
    record StalledCustomer(String customerId, String name, String ownerRepId, String region, Stage stage,
                           OffsetDateTime enteredAt, OffsetDateTime lastActionAt, String lastActionType,
                           Duration waiting, LocalDate snoozedUntil, String snoozeReason) {
    }

    /** A stage the customer entered and (unless it is the current one) left; {@code spent} up to now if not. */
    record StageStay(Stage stage, OffsetDateTime enteredAt, OffsetDateTime exitedAt, Duration spent) {
    }
}
