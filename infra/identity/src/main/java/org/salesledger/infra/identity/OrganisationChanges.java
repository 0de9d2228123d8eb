package org.salesledger.infra.identity;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the users kept in memory ({@link KnownUsers}) that the organisation changed, so that a change — a
 * deactivation above all — applies to the next call on every side and every node (contract §7: "a deactivated
 * user's tokens stop working at once").
 * <ul>
 *   <li>In this JVM, {@link Organisation} counts a change into {@link #GENERATION} once its transaction has
 *       committed and before its caller is answered: both sides of one process see it at their next call.</li>
 *   <li>Other processes learn of it through PostgreSQL: the change's transaction sends {@code NOTIFY
 *       salesledger_organisation}, and this listener, on a connection of its own, counts every notification it
 *       receives. Between the commit and the notification's arrival (milliseconds) another node may still answer
 *       one call with the user as it was.</li>
 *   <li>While the listener is not listening (starting, or its connection lost), {@link #listening()} is false and
 *       users are read from the database at every call; when it listens again it counts a change, since some may
 *       have been missed.</li>
 * </ul>
 */
final class OrganisationChanges implements AutoCloseable {

    static final String CHANNEL = "salesledger_organisation";
    /** Changes seen by this JVM, from any side of it or any other process; a kept user is good for one value. */
    static final AtomicLong GENERATION = new AtomicLong();

    private static final Logger log = LoggerFactory.getLogger(OrganisationChanges.class);

    private final DataSource dataSource;
    private final Thread thread;
    private volatile boolean listening;
    private volatile boolean closed;

    OrganisationChanges(DataSource dataSource) {
        this.dataSource = dataSource;
        this.thread = new Thread(this::listen, "organisation-changes");
        this.thread.setDaemon(true);
    }

    OrganisationChanges start() {
        thread.start();
        return this;
    }

    /** Whether notifications of other processes' changes are arriving now. */
    boolean listening() {
        return listening;
    }

    private void listen() {
        long retryMillis = 500;
        while (!closed) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                statement.execute("LISTEN " + CHANNEL);
                PGConnection notifications = connection.unwrap(PGConnection.class);
                GENERATION.incrementAndGet();
                listening = true;
                retryMillis = 500;
                while (!closed) {
                    PGNotification[] arrived = notifications.getNotifications(500);
                    if (arrived != null && arrived.length > 0) {
                        GENERATION.incrementAndGet();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (listening) {
                    log.warn("not listening for changes of the organisation ({}); users are read at every call "
                            + "until it listens again", e.getMessage());
                }
            } finally {
                listening = false;
            }
            try {
                Thread.sleep(retryMillis);
            } catch (InterruptedException e) {
                return;
            }
            retryMillis = Math.min(retryMillis * 2, 10_000);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
