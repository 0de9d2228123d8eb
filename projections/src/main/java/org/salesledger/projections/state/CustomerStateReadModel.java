package org.salesledger.projections.state;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.salesledger.kernel.access.Scope;

/** The bitemporal customer state of contract §9 as the query side reads it. */
public interface CustomerStateReadModel {

    /**
     * The customer as it stood at {@code asOf} (its actions with {@code time} ≤ asOf) as the system knew it at
     * {@code knownAt} (those stored at or before it). Empty when the customer is unknown or outside {@code scope}.
     */
    Optional<CustomerState> state(Scope scope, String customerId, OffsetDateTime asOf, OffsetDateTime knownAt);

    /**
     * Each of those actions, in the order they are folded, with the fields of the state it changed. Empty when the
     * customer is unknown or outside {@code scope}.
     */
    Optional<List<ActionChanges>> changes(Scope scope, String customerId, OffsetDateTime asOf, OffsetDateTime knownAt);
}
