package org.salesledger.command.customer;

import org.salesledger.kernel.access.Scope;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Supervisor {@code actor} gives the customer to rep {@code toRepId} at {@code at}, for {@code reason} (may be
 * {@code null}); also takes it out of the pool. {@code reassignmentId} is the envelope id of the
 * {@code CustomerReassigned} it records.
 */
public record ReassignCustomer(@TargetAggregateIdentifier String customerId, String reassignmentId, String toRepId,
                               String reason, String actor, Instant at, Scope scope, Scope targets,
                               String recordedBy) implements CustomerCommand {

    /** A reassignment by the system's own hand (no caller to check). */
    public ReassignCustomer(String customerId, String reassignmentId, String toRepId, String reason, String actor,
                            Instant at) {
        this(customerId, reassignmentId, toRepId, reason, actor, at, Scope.ALL, Scope.ALL, null);
    }

    public ReassignCustomer {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(reassignmentId, "reassignmentId");
        Objects.requireNonNull(toRepId, "toRepId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
    }
}
