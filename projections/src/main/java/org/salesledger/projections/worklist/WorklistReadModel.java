package org.salesledger.projections.worklist;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.salesledger.kernel.access.Scope;

/**
 * The work lists: the public pool, open escalations, a rep's open to-dos. Each lists only customers the
 * {@link Scope} covers (their registration region, their owner now).
 */
public interface WorklistReadModel {

    /** The customer as a list shows it, with its last action. */
    record Customer(String customerId, String name, String region, String ownerRepId, String customerClass,
                    String stage, Instant lastActionAt, String lastActionType) {
    }

    /** A customer in the public pool: released when, by which rule, from whom. */
    record PoolEntry(String customerId, String name, String region, String customerClass, String stage,
                     Instant releasedAt, String previousOwnerRepId, String ruleId, Instant lastActionAt,
                     String lastActionType) {
    }

    /** An open escalation and its customer (with the customer's last action). */
    record Escalation(String id, String to, String stage, Instant since, Instant raisedAt, String after,
                      List<String> unless, String ruleId, int ruleVersion, Customer customer) {
    }

    /** An open to-do: {@code kind} FOLLOW_UP, COLLECTION, POOL_RELEASE or TALK_TRACK; {@code copy} when it is a copy. */
    record Todo(String id, String kind, Instant dueAt, String ruleId, boolean copy, JsonNode details,
                Customer customer) {
    }

    /** The public pool in {@code scope}, oldest release first, optionally of one region and / or class. */
    List<PoolEntry> pool(Scope scope, String region, String customerClass, int limit);

    /**
     * Open escalations of customers in {@code scope} and, whatever their customer, those addressed to
     * {@code addressee} (the caller; {@code null}: none more), oldest first, optionally only those to {@code to}.
     */
    List<Escalation> escalations(Scope scope, String addressee, String to, int limit);

    /** The rep's open to-dos (their own, and copies sent to them) on customers in {@code scope}, oldest first. */
    List<Todo> todo(Scope scope, String repId, int limit);
}
