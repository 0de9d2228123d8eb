package org.salesledger.command.store;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The PostgreSQL advisory locks that writers of the event store take turns on, each held to the end of the current
 * transaction, across threads and nodes. A customer's lock is keyed by its id: every path that appends to a
 * customer (the intake, the rules, the timers, the pool) takes it, so that the second writer loads the customer
 * after the first has committed. Other keys name other things that must be written one at a time ({@link #lock}).
 * The intake takes its customers' locks together with its receipts, in one round trip ({@link ActionReceipts}).
 */
@Component
public class CustomerLocks {

    /** The one statement of a lock: a 64-bit hash of the key, released when the transaction ends. */
    static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))";
    /** The key of a customer's deadline row (the planners of one customer take turns on it). */
    private static final String TIMER_PREFIX = "rule-timer:";
    /** The key of a rep's pool claims (the claims of one rep take turns on it). */
    private static final String REP_PREFIX = "rep:";

    private final JdbcTemplate jdbc;

    CustomerLocks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The customer's write lock (the one every writer of a customer takes), to the end of the transaction. */
    public void lockCustomer(String customerId) {
        lock(customerId);
    }

    /** The lock of the customer's rule deadline, to the end of the transaction: its planners take turns. */
    public void lockTimerOf(String customerId) {
        lock(TIMER_PREFIX + customerId);
    }

    /** The lock of a rep's pool claims, to the end of the transaction: one rep's claims are counted one at a time. */
    public void lockClaimsOf(String repId) {
        lock(REP_PREFIX + repId);
    }

    private void lock(String key) {
        jdbc.query(LOCK, rs -> null, key);
    }
}
