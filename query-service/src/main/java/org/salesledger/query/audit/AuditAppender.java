package org.salesledger.query.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.tree.TreeAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends every stored customer action to the audit tree, in store order ({@code domain_event_entry.global_index}),
 * exactly once (ADR 0030 and 0031). Each {@link #step} is one transaction:
 *
 * <ol>
 *   <li>{@code pg_try_advisory_xact_lock}: one appender per database at a time (another process's step waits for
 *       the next turn); the tree size read under {@code SELECT … FOR UPDATE} of {@code audit_log}, and the in-memory
 *       {@link TreeAppender} made again from the stored border when the size is not the one it had;</li>
 *   <li>every row after {@code position} in {@code global_index} order (customer actions and all other events: they
 *       share the sequence), taking the run without a gap;</li>
 *   <li>a missing index (a transaction still running, or rolled back) is waited for. It is passed only once it is
 *       proved permanent: the virtual transaction ids in {@code pg_locks} when the gap was first seen have all
 *       ended, and a read after that still does not find the row. A sequence value is taken inside its inserting
 *       transaction before the later row that revealed the gap was even inserted, so that transaction was among
 *       those recorded; once they are all gone, the value can never appear. Time never passes a gap: a gap open
 *       longer than {@code gap-alarm} is only logged;</li>
 *   <li>the new nodes, the {@code audit_leaf} rows and the new size and position, committed together.</li>
 * </ol>
 *
 * Not thread-safe: one thread of one instance calls {@link #step}.
 */
final class AuditAppender {

    private static final Logger log = LoggerFactory.getLogger(AuditAppender.class);
    /** The advisory lock key of the appender: "audit" in ASCII. */
    static final long LOCK_KEY = 0x6175646974L;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ActionLeaves leaves;
    private final int batchSize;
    private final Duration gapAlarm;
    private final Clock clock;
    private TreeAppender tree;
    private Gap gap;

    /** The first missing index after the position, the transactions running when it was seen, and when. */
    private record Gap(long index, List<String> transactions, Instant seen, boolean proved, boolean alarmed) {
    }

    /** What a step did. */
    record Step(long appended, long size, long position, boolean locked) {
    }

    AuditAppender(JdbcTemplate jdbc, TransactionTemplate transactions, ActionLeaves leaves, int batchSize,
                  Duration gapAlarm, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.leaves = leaves;
        this.batchSize = batchSize;
        this.gapAlarm = gapAlarm;
        this.clock = clock;
    }

    /** Appends what it can of the next batch; {@link Step#appended} events passed (leaves and others). */
    Step step() {
        try {
            return transactions.execute(status -> appendBatch());
        } catch (RuntimeException e) {
            // nothing was committed: read the border again next time
            tree = null;
            throw e;
        }
    }

    private Step appendBatch() {
        Boolean locked = jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, LOCK_KEY);
        if (!Boolean.TRUE.equals(locked)) {
            return new Step(0, -1, -1, false);
        }
        long[] state = jdbc.queryForObject("SELECT size, position FROM audit_log WHERE id = 1 FOR UPDATE",
                (row, n) -> new long[] {row.getLong(1), row.getLong(2)});
        long size = state[0];
        long position = state[1];
        if (tree == null || tree.size() != size) {
            tree = new TreeAppender(new PostgresTreeStore(jdbc));
        }
        if (gap != null && gap.index() <= position) {
            gap = null; // passed by another appender
        }
        if (gap != null && !gap.proved() && ended(gap.transactions())) {
            gap = new Gap(gap.index(), gap.transactions(), gap.seen(), true, gap.alarmed());
        }
        // read after the proof: a row committed by a transaction of the gap is visible now
        List<StoredEvent> rows = jdbc.query("SELECT " + StoredEvent.COLUMNS + " FROM domain_event_entry "
                + "WHERE global_index > ? ORDER BY global_index LIMIT ?", (row, n) -> StoredEvent.of(row),
                position, batchSize);
        List<Hash> hashes = new ArrayList<>();
        List<Object[]> leafRows = new ArrayList<>();
        long next = position + 1;
        long passed = 0;
        for (StoredEvent row : rows) {
            if (row.globalIndex() != next) {
                if (gap != null && gap.proved() && gap.index() == next) {
                    log.info("audit log: global index {} never committed (its transaction ended without it);"
                            + " passed", next);
                    gap = null;
                    next++;
                    if (row.globalIndex() != next) {
                        break; // the next gap waits for its own proof
                    }
                } else {
                    break;
                }
            }
            if (leaves.isAction(row)) {
                ActionLeaves.Leaf leaf = leaves.leaf(row);
                leafRows.add(new Object[] {size + hashes.size(), row.globalIndex(), leaf.actionId()});
                hashes.add(leaf.hash());
            }
            passed++;
            next = row.globalIndex() + 1;
        }
        long newPosition = next - 1;
        boolean blocked = rows.size() > passed && rows.get((int) passed).globalIndex() > next;
        if (blocked) {
            noteGap(next);
        } else if (gap != null && gap.index() < next) {
            gap = null;
        }
        if (newPosition == position) {
            return new Step(0, size, position, true);
        }
        long newSize = tree.appendLeafHashes(hashes);
        if (!leafRows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO audit_leaf (leaf_index, global_index, action_id) VALUES (?, ?, ?)",
                    leafRows);
        }
        jdbc.update("UPDATE audit_log SET position = ? WHERE id = 1", newPosition);
        return new Step(newPosition - position, newSize, newPosition, true);
    }

    private void noteGap(long index) {
        Instant now = clock.instant();
        if (gap == null || gap.index() != index) {
            List<String> running = jdbc.queryForList("SELECT virtualxid FROM pg_locks WHERE locktype = 'virtualxid' "
                    + "AND virtualxid IS NOT NULL AND pid <> pg_backend_pid()", String.class);
            gap = new Gap(index, running, now, false, false);
        } else if (!gap.alarmed() && Duration.between(gap.seen(), now).compareTo(gapAlarm) > 0) {
            log.warn("audit log: global index {} has been missing for more than {} while later events are stored;"
                    + " waiting for the transactions that were running when it was first seen to end", index, gapAlarm);
            gap = new Gap(gap.index(), gap.transactions(), gap.seen(), gap.proved(), true);
        }
    }

    private boolean ended(List<String> running) {
        if (running.isEmpty()) {
            return true;
        }
        Integer still = jdbc.queryForObject("SELECT count(*) FROM pg_locks WHERE locktype = 'virtualxid' "
                + "AND virtualxid = ANY(?)", Integer.class, (Object) running.toArray(String[]::new));
        return still != null && still == 0;
    }
}
