package org.salesledger.command.intake;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The envelope ids already stored, kept by PostgreSQL: the idempotency key of contract §1. A claim is made in the
 * same transaction as the events it stands for, so it is kept exactly when they are. A second claim of the same
 * id waits for the first transaction and then finds the id taken, in one process or across several.
 */
@Repository
class ActionReceipts {

    private final JdbcTemplate jdbc;

    ActionReceipts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Makes concurrent writers of one customer take turns until the end of this transaction, in any process on
     * this database, so that the second loads the customer after the first has committed.
     */
    void lockCustomer(String customerId) {
        jdbc.query("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", rs -> null, customerId);
    }

    /** Claims the ids for this customer; answers the ones that were free (not stored before). */
    Set<String> claim(String customerId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        String sql = "INSERT INTO action_receipt (action_id, customer_id) "
                + "SELECT id, ? FROM unnest(?::varchar[]) AS t(id) ON CONFLICT (action_id) DO NOTHING RETURNING action_id";
        List<String> claimed = jdbc.query(con -> {
            var statement = con.prepareStatement(sql);
            statement.setString(1, customerId);
            statement.setArray(2, con.createArrayOf("varchar", ids.toArray()));
            return statement;
        }, (rs, row) -> rs.getString(1));
        return new HashSet<>(claimed);
    }

    /** Gives back the claims of actions that were refused: nothing of them is stored. */
    void release(Collection<String> ids) {
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
