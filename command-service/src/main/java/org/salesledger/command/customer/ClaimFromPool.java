package org.salesledger.command.customer;

import org.salesledger.kernel.access.Scope;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Rep {@code repId} claims the customer from the public pool at {@code at}, under the current POOL rule's settings
 * ({@code null}: not set). {@code claimsToday} (claims of the rep on {@code day}, a day in {@code zone}) and
 * {@code customersOwned} were counted under the rep's lock; the Customer decides. {@code claimId} is the envelope id
 * of the {@code CustomerReassigned} it records.
 */
public record ClaimFromPool(@TargetAggregateIdentifier String customerId, String claimId, String repId, Instant at,
                            Duration reclaimLockout, Integer dailyClaimLimit, int claimsToday, LocalDate day,
                            ZoneId zone, Integer maxCustomersPerRep, int customersOwned, Scope scope,
                            String recordedBy) implements CustomerCommand {

    /** A claim by the system's own hand (no caller to check). */
    public ClaimFromPool(String customerId, String claimId, String repId, Instant at, Duration reclaimLockout,
                         Integer dailyClaimLimit, int claimsToday, LocalDate day, ZoneId zone,
                         Integer maxCustomersPerRep, int customersOwned) {
        this(customerId, claimId, repId, at, reclaimLockout, dailyClaimLimit, claimsToday, day, zone,
                maxCustomersPerRep, customersOwned, Scope.ALL, null);
    }

    public ClaimFromPool {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(claimId, "claimId");
        Objects.requireNonNull(repId, "repId");
        Objects.requireNonNull(at, "at");
    }
}
