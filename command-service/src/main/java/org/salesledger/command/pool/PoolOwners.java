package org.salesledger.command.pool;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code pool_owner} (who owns each customer, and whether it is in the pool) up to date from the customers'
 * events, in the {@value #GROUP} processing group of the command side. A claim or a reassignment writes its row at
 * once in its own transaction; this processor sees the same event later and, by {@code last_seq}, leaves it.
 */
@Component
@ProcessingGroup(PoolOwners.GROUP)
class PoolOwners {

    static final String GROUP = "pool-owners";

    private final JdbcTemplate jdbc;

    PoolOwners(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(CustomerRegistered registered, @SequenceNumber Long seq) {
        jdbc.update("INSERT INTO pool_owner (customer_id, rep_id, in_pool, last_seq) VALUES (?, ?, FALSE, ?) "
                        + "ON CONFLICT (customer_id) DO NOTHING", registered.customerId().value(),
                registered.ownerRepId() == null ? null : registered.ownerRepId().value(), seq);
    }

    @EventHandler
    void on(CustomerReassigned reassigned, @SequenceNumber Long seq) {
        owned(reassigned.customerId().value(), reassigned.toRepId() == null ? null : reassigned.toRepId().value(),
                seq, jdbc);
    }

    @EventHandler
    void on(CustomerReleasedToPool released, @SequenceNumber Long seq) {
        jdbc.update("UPDATE pool_owner SET in_pool = TRUE, last_seq = ? WHERE customer_id = ? AND last_seq < ?",
                seq, released.customerId().value(), seq);
    }

    /** The customer is owned by {@code rep} (out of the pool) as of its event {@code seq}. */
    static void owned(String customerId, String rep, long seq, JdbcTemplate jdbc) {
        jdbc.update("INSERT INTO pool_owner (customer_id, rep_id, in_pool, last_seq) VALUES (?, ?, FALSE, ?) "
                + "ON CONFLICT (customer_id) DO UPDATE SET rep_id = EXCLUDED.rep_id, in_pool = FALSE, "
                + "last_seq = EXCLUDED.last_seq WHERE pool_owner.last_seq < EXCLUDED.last_seq", customerId, rep, seq);
    }
}
