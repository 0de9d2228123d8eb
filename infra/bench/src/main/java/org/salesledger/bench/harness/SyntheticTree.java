package org.salesledger.bench.harness;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.hash.MerkleHashes;
import org.salesledger.audit.tree.NodeId;
import org.salesledger.audit.tree.StoredNode;
import org.salesledger.audit.tree.TreeAppender;
import org.salesledger.audit.tree.TreeStore;

/**
 * A synthetic audit tree of any size, for timing proofs at 10 million leaves without storing 10 million actions
 * (issue 19): the empty audit tables of a system whose appender is off (profile {@code benchmark-without-audit}) are
 * filled through the audit library's own append path — {@link TreeAppender}, which computes every node exactly as
 * the running system's appender does — with leaves that are not actions: leaf {@code i} is the RFC 9162 leaf hash of
 * the text {@code synthetic leaf i}, its action id {@value #ACTION_PREFIX}{@code i}. The tables then have the shape
 * and size the system's would have with that many actions (about two nodes per leaf, one {@code audit_leaf} row per
 * leaf), which is what a proof reads; the event store does not hold those actions, so the system's
 * {@code admin/audit/verify} fails on it, and it is good for nothing but the measurement.
 *
 * <p>Written with {@code COPY}, a batch of leaves per transaction, the size moved only from the size read (as the
 * system's store does), so a second writer would make it fail rather than corrupt the tree.
 */
final class SyntheticTree {

    static final String ACTION_PREFIX = "synthetic-";
    private static final int BATCH = 50_000;

    private SyntheticTree() {
    }

    /** The action id of synthetic leaf {@code index}. */
    static String actionId(long index) {
        return ACTION_PREFIX + index;
    }

    /**
     * Appends {@code leaves} synthetic leaves to the empty audit tree of {@code database}; answers the tree's size.
     *
     * @throws IllegalStateException if the tree is not empty (an appender ran on that database)
     */
    static long fill(Database database, long leaves, java.io.PrintStream log) throws SQLException {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            CopyStore store = new CopyStore(connection);
            if (store.size() != 0) {
                throw new IllegalStateException("the audit tree of " + database + " is not empty (" + store.size()
                        + " leaves): a synthetic tree needs a system whose appender is off");
            }
            TreeAppender appender = new TreeAppender(store);
            long next = 0;
            long reported = System.nanoTime();
            while (next < leaves) {
                int n = (int) Math.min(BATCH, leaves - next);
                List<Hash> hashes = new ArrayList<>(n);
                StringBuilder leafRows = new StringBuilder(n * 40);
                for (long i = next; i < next + n; i++) {
                    hashes.add(MerkleHashes.leaf(("synthetic leaf " + i).getBytes(StandardCharsets.UTF_8)));
                    // global_index: what it would be in a store holding only these actions
                    leafRows.append(i).append('\t').append(i + 1).append('\t').append(actionId(i)).append('\n');
                }
                appender.appendLeafHashes(hashes);
                store.copy("COPY audit_leaf (leaf_index, global_index, action_id) FROM STDIN", leafRows);
                try (PreparedStatement position = connection.prepareStatement(
                        "UPDATE audit_log SET position = ? WHERE id = 1")) {
                    position.setLong(1, next + n);
                    position.executeUpdate();
                }
                connection.commit();
                next += n;
                if (System.nanoTime() - reported > 30_000_000_000L) {
                    log.printf("   %s of %s synthetic leaves…%n", BenchRun.count(next), BenchRun.count(leaves));
                    reported = System.nanoTime();
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("ANALYZE audit_tree_node");
                statement.execute("ANALYZE audit_leaf");
            }
            connection.commit();
            return appender.size();
        }
    }

    /** The library's {@link TreeStore} over the audit tables, writing nodes with {@code COPY}; starts empty. */
    private static final class CopyStore implements TreeStore {
        private static final HexFormat HEX = HexFormat.of();
        private final Connection connection;

        CopyStore(Connection connection) {
            this.connection = connection;
        }

        @Override
        public long size() {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT size FROM audit_log WHERE id = 1")) {
                return rs.next() ? rs.getLong(1) : 0;
            } catch (SQLException e) {
                throw new IllegalStateException("the audit tree's size could not be read: " + e.getMessage(), e);
            }
        }

        /** Only the border of the empty tree is ever read (the appender starts at size 0). */
        @Override
        public List<Hash> read(List<NodeId> ids) {
            if (!ids.isEmpty()) {
                throw new IllegalArgumentException("the synthetic tree is only written, never read: " + ids);
            }
            return List.of();
        }

        @Override
        public void write(long expectedSize, long newSize, List<StoredNode> nodes) {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE audit_log SET size = ? WHERE id = 1 AND size = ?")) {
                update.setLong(1, newSize);
                update.setLong(2, expectedSize);
                if (update.executeUpdate() != 1) {
                    throw new IllegalStateException("the audit tree is no longer of size " + expectedSize
                            + ": another appender wrote to it");
                }
                StringBuilder rows = new StringBuilder(nodes.size() * 90);
                for (StoredNode node : nodes) {
                    // COPY's text format: a backslash is written twice, so \\x… reaches bytea as its hex form \x…
                    rows.append(node.id().level()).append('\t').append(node.id().index()).append("\t\\\\x")
                            .append(HEX.formatHex(node.hash().bytes())).append('\n');
                }
                copy("COPY audit_tree_node (level, idx, hash) FROM STDIN", rows);
            } catch (SQLException e) {
                throw new IllegalStateException("synthetic nodes could not be written: " + e.getMessage(), e);
            }
        }

        void copy(String sql, CharSequence rows) throws SQLException {
            try {
                CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
                copy.copyIn(sql, new StringReader(rows.toString()));
            } catch (IOException e) {
                throw new SQLException("COPY failed: " + e.getMessage(), e);
            }
        }
    }
}
