package org.salesledger.command.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The envelope ids already stored, kept by PostgreSQL: the idempotency key of contract §1. A claim is made in the
 * same transaction as the events it stands for, so it is kept exactly when they are. A second claim of the same
 * id waits for the first transaction and then finds the id taken, in one process or across several. Kept with the
 * store because the claim and the customers' locks ({@link CustomerLocks}) are taken in one statement.
 */
@Repository
public class ActionReceipts {

    /**
     * One round trip: first the customers' advisory locks, taken in the order of their keys (so that two
     * transactions locking several customers never wait for each other in a circle), held to the end of the
     * transaction, in any process on this database; then the claims, inserted in id order (for the same reason),
     * answering the ids that were free. The insert's rows join the lock count, so no row is inserted before every
     * lock is held.
     */
    private static final String LOCK_AND_CLAIM = """
            WITH locked AS (
                SELECT count(pg_advisory_xact_lock(k)) AS n
                FROM (SELECT DISTINCT hashtextextended(c, 0) AS k FROM unnest(?::varchar[]) AS c ORDER BY 1) AS keys
            )
            INSERT INTO action_receipt (action_id, customer_id)
            SELECT t.id, t.customer FROM unnest(?::varchar[], ?::varchar[]) AS t(id, customer), locked
            WHERE locked.n >= 0
            ORDER BY t.id
            ON CONFLICT (action_id) DO NOTHING
            RETURNING action_id
            """;

    private final JdbcTemplate jdbc;

    ActionReceipts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Makes concurrent writers of these customers take turns until the end of this transaction, so that the second
     * loads a customer after the first has committed, and claims the ids (id → customer); answers the ids that were
     * free (not stored before).
     */
    public Set<String> lockAndClaim(Collection<String> customers, Map<String, String> customerById) {
        List<String> ids = new ArrayList<>(customerById.keySet());
        List<String> owners = new ArrayList<>(ids.size());
        for (String id : ids) {
            owners.add(customerById.get(id));
        }
        List<String> claimed = jdbc.query(con -> {
            var statement = con.prepareStatement(LOCK_AND_CLAIM);
            statement.setArray(1, con.createArrayOf("varchar", customers.toArray()));
            statement.setArray(2, con.createArrayOf("varchar", ids.toArray()));
            statement.setArray(3, con.createArrayOf("varchar", owners.toArray()));
            return statement;
        }, (rs, row) -> rs.getString(1));
        return new HashSet<>(claimed);
    }

    /** Gives back the claims of actions that were refused: nothing of them is stored. */
    public void release(Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.update(con -> {
            var statement = con.prepareStatement("DELETE FROM action_receipt WHERE action_id = ANY (?)");
            statement.setArray(1, con.createArrayOf("varchar", ids.toArray()));
            return statement;
        });
    }
}
