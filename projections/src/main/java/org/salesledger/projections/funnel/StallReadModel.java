package org.salesledger.projections.funnel;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.salesledger.kernel.lifecycle.Stage;

/** Which customers are stuck, which have gone quiet, and how long each customer spent in each stage. */
public interface StallReadModel {

    /**
     * Customers of the filter whose current (open) stage was entered at least {@code olderThan} before
     * {@code now}, oldest first, at most {@code limit}. A stage's threshold comes from {@code olderThan} when
     * given, else from the per-stage defaults. With {@code businessDays}, only Monday to Friday (UTC) count.
     */
    List<StalledCustomer> stalled(FunnelReadModel.Filter filter, Stage stage, Duration olderThan,
                                  boolean businessDays, Instant now, int limit);

    /** Customers of the filter without any action for {@code days} days before {@code now}, oldest first. */
    List<StalledCustomer> idle(FunnelReadModel.Filter filter, int days, boolean includeClosed, Instant now,
                               int limit);

    /** The customer's stays, in order of entry; empty when the customer is unknown. */
    Optional<List<StageStay>> stages(String customerId, Instant now);

    /** One customer on a work list, with how long it has been waiting. */
    record StalledCustomer(String customerId, String name, String ownerRepId, String region, Stage stage,
                           OffsetDateTime enteredAt, OffsetDateTime lastActionAt, String lastActionType,
                           Duration waiting) {
    }

    /** A stage the customer entered and (unless it is the current one) left; {@code spent} up to now if not. */
    record StageStay(Stage stage, OffsetDateTime enteredAt, OffsetDateTime exitedAt, Duration spent) {
    }
}
