package org.salesledger.command.pool;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.salesledger.command.customer.ClaimFromPool;
import org.salesledger.command.customer.PoolDecision;
import org.salesledger.command.customer.ReassignCustomer;
import org.salesledger.command.rules.RuleCatalog;
import org.salesledger.command.rules.RuleDefinition;
import org.springframework.jdbc.core.JdbcTemplate;
import org.salesledger.kernel.access.Scope;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.salesledger.command.store.CustomerLocks;
import org.salesledger.command.store.StoredEvents;

/**
 * Claims from the public pool and reassignments, each in one transaction: the customer's write lock (the one every
 * writer of a customer takes, so of two reps claiming at once one waits and then finds the customer claimed), for a
 * claim also the rep's lock (so a rep's counts cannot be outrun by the same rep's parallel claims), the rep's claims
 * today and customers counted, the Customer's decision, and — when done — the claim and the new owner written to
 * {@code pool_claim} / {@code pool_owner}. The settings are the active POOL rule's; "today" is the day of the claim
 * in {@code salesledger.pool.zone} (default UTC).
 */
@EnableConfigurationProperties(PoolSettings.class)
@Service
public class PoolClaims {

    private final CommandGateway commands;
    private final JdbcTemplate jdbc;
    private final StoredEvents events;
    private final CustomerLocks locks;
    private final TransactionTemplate transaction;
    private final RuleCatalog catalog;
    private final Clock clock;
    private final ZoneId zone;

    PoolClaims(CommandGateway commands, JdbcTemplate jdbc, StoredEvents events, CustomerLocks locks,
               TransactionTemplate transaction, RuleCatalog catalog, Clock clock, PoolSettings settings) {
        this.commands = commands;
        this.jdbc = jdbc;
        this.events = events;
        this.locks = locks;
        this.transaction = transaction;
        this.catalog = catalog;
        this.clock = clock;
        this.zone = settings.zone();
    }

    /** Rep {@code repId} claims the customer now, for a caller who may claim only within {@code scope}. */
    public PoolDecision claim(String customerId, String repId, Scope scope, String recordedBy) {
        return transaction.execute(status -> {
            locks.lockCustomer(customerId);
            locks.lockClaimsOf(repId);
            Instant now = clock.instant();
            RuleDefinition.Pool rule = currentPoolRule();
            LocalDate day = LocalDate.ofInstant(now, zone);
            Integer claimsToday = jdbc.queryForObject("SELECT count(*) FROM pool_claim WHERE rep_id = ? "
                            + "AND claimed_at >= ? AND claimed_at < ?", Integer.class, repId,
                    java.sql.Timestamp.from(day.atStartOfDay(zone).toInstant()),
                    java.sql.Timestamp.from(day.plusDays(1).atStartOfDay(zone).toInstant()));
            Integer owned = jdbc.queryForObject("SELECT count(*) FROM pool_owner WHERE rep_id = ? AND NOT in_pool",
                    Integer.class, repId);
            String claimId = "claim-" + UUID.randomUUID();
            PoolDecision decision = send(new ClaimFromPool(customerId, claimId, repId, now,
                    rule == null ? null : rule.reclaimLockout(), rule == null ? null : rule.dailyClaimLimit(),
                    claimsToday, day, zone, rule == null ? null : rule.maxCustomersPerRep(), owned, scope, recordedBy));
            if (decision.done()) {
                jdbc.update("INSERT INTO pool_claim (claim_id, customer_id, rep_id, claimed_at) VALUES (?, ?, ?, ?)",
                        claimId, customerId, repId, java.sql.Timestamp.from(now));
                PoolOwners.owned(customerId, repId, lastSeq(customerId), jdbc);
            }
            return decision;
        });
    }

    /**
     * Supervisor {@code actor} gives the customer to {@code toRepId}, for a caller who may reassign the customers of
     * {@code scope} and give them to the reps {@code targets} covers.
     */
    public PoolDecision reassign(String customerId, String toRepId, String reason, String actor, Scope scope,
                                 Scope targets, String recordedBy) {
        return transaction.execute(status -> {
            locks.lockCustomer(customerId);
            PoolDecision decision = send(new ReassignCustomer(customerId, "reassign-" + UUID.randomUUID(), toRepId,
                    reason, actor, clock.instant(), scope, targets, recordedBy));
            if (decision.done()) {
                PoolOwners.owned(customerId, toRepId, lastSeq(customerId), jdbc);
            }
            return decision;
        });
    }

    private PoolDecision send(Object command) {
        try {
            return commands.sendAndWait(command);
        } catch (AggregateNotFoundException e) {
            return new PoolDecision(PoolDecision.Status.NOT_FOUND, null, null, "customerId",
                    "no customer with this id is registered");
        }
    }

    /** The active POOL rule's settings ({@code null}: none is active; claims then have no limits). */
    RuleDefinition.Pool currentPoolRule() {
        return catalog.rules().active().stream().map(r -> r.definition())
                .filter(RuleDefinition.Pool.class::isInstance).map(RuleDefinition.Pool.class::cast)
                .findFirst().orElse(null);
    }

    private long lastSeq(String customerId) {
        return events.lastSequence(customerId).orElse(0);
    }
}
