package org.salesledger.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.hash.MerkleHashes;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code GET /api/v1/admin/audit/verify} (contract §9): recomputes every leaf of the tree from the actions as they
 * are stored now ({@link ActionLeaves}, as the appender did) and compares it with the tree's stored leaf, in leaf
 * order; recomputes the root of the latest checkpoint from those leaves; and looks for stored actions the log passed
 * without a leaf (an event that appeared later in a gap the appender had proved permanent). The first action that
 * does not match is named.
 */
final class AuditVerification {

    private static final int PAGE = 5_000;

    private final JdbcTemplate jdbc;
    private final ActionLeaves leaves;

    AuditVerification(JdbcTemplate jdbc, ActionLeaves leaves) {
        this.jdbc = jdbc;
        this.leaves = leaves;
    }

    /**
     * The verification's answer.
     *
     * @param ok                    every leaf matches, the checkpoint's root is recomputed, no action was passed
     * @param treeSize              leaves checked (the tree's size when the check began)
     * @param position              the last {@code global_index} the log had passed
     * @param checkpointSize        the latest checkpoint's size ({@code null}: none yet)
     * @param checkpointRootMatches whether the root recomputed from the stored actions is the checkpoint's
     * @param firstMismatch         the first action that does not match, {@code null} when none
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Report(boolean ok, long treeSize, long position, Long checkpointSize, Boolean checkpointRootMatches,
                  Mismatch firstMismatch) {
    }

    /** An action whose stored bytes no longer give its leaf, or that is missing from the log or from the store. */
    record Mismatch(String actionId, Long leafIndex, long globalIndex, String reason) {
    }

    private record Row(long leafIndex, long globalIndex, String actionId, byte[] storedLeaf, StoredEvent event) {
    }

    Report verify() {
        long[] state = jdbc.queryForObject("SELECT size, position FROM audit_log WHERE id = 1",
                (row, n) -> new long[] {row.getLong(1), row.getLong(2)});
        long size = state[0];
        long position = state[1];
        List<Object[]> checkpoint = jdbc.query("SELECT size, root_hash FROM audit_checkpoint WHERE size <= ? "
                + "ORDER BY size DESC LIMIT 1", (row, n) -> new Object[] {row.getLong(1), row.getBytes(2)}, size);
        Long checkpointSize = checkpoint.isEmpty() ? null : (Long) checkpoint.get(0)[0];
        Boolean rootMatches = null;
        Mismatch first = null;
        Frontier frontier = new Frontier();
        long after = -1;
        pages:
        while (after + 1 < size) {
            List<Row> rows = jdbc.query("SELECT l.leaf_index, l.global_index AS leaf_global_index, l.action_id, "
                    + "n.hash AS stored_leaf, d.* FROM audit_leaf l "
                    + "JOIN audit_tree_node n ON n.level = 0 AND n.idx = l.leaf_index "
                    + "LEFT JOIN domain_event_entry d ON d.global_index = l.global_index "
                    + "WHERE l.leaf_index > ? AND l.leaf_index < ? ORDER BY l.leaf_index LIMIT ?",
                    (row, n) -> new Row(row.getLong("leaf_index"), row.getLong("leaf_global_index"),
                            row.getString("action_id"), row.getBytes("stored_leaf"),
                            row.getObject("event_identifier") == null ? null : StoredEvent.of(row)),
                    after, size, PAGE);
            if (rows.isEmpty()) {
                break;
            }
            for (Row row : rows) {
                if (row.leafIndex() != after + 1) {
                    first = new Mismatch(null, after + 1, -1, "the log has no row for leaf " + (after + 1));
                    break pages;
                }
                after = row.leafIndex();
                if (row.event() == null) {
                    first = new Mismatch(row.actionId(), row.leafIndex(), row.globalIndex(),
                            "the stored action is gone from the event store");
                    break pages;
                }
                ActionLeaves.Leaf leaf = leaves.leaf(row.event());
                if (!leaf.hash().equals(Hash.of(row.storedLeaf()))) {
                    first = new Mismatch(row.actionId(), row.leafIndex(), row.globalIndex(),
                            "the action's stored bytes no longer give its leaf hash");
                    break pages;
                }
                frontier.add(leaf.hash());
                if (checkpointSize != null && frontier.size() == checkpointSize) {
                    rootMatches = frontier.root().equals(Hash.of((byte[]) checkpoint.get(0)[1]));
                }
            }
        }
        if (checkpointSize != null && checkpointSize == 0) {
            rootMatches = true;
        }
        if (first == null) {
            first = passedWithoutLeaf(position);
        }
        boolean ok = first == null && (rootMatches == null || rootMatches);
        return new Report(ok, size, position, checkpointSize, rootMatches, first);
    }

    private Mismatch passedWithoutLeaf(long position) {
        List<Mismatch> missing = jdbc.query("SELECT " + StoredEvent.COLUMNS + " FROM domain_event_entry d "
                        + "WHERE d.global_index <= ? AND d.payload_type = ANY(?) AND NOT EXISTS "
                        + "(SELECT 1 FROM audit_leaf l WHERE l.global_index = d.global_index) "
                        + "ORDER BY d.global_index LIMIT 1",
                (row, n) -> {
                    StoredEvent event = StoredEvent.of(row);
                    return new Mismatch(leaves.leaf(event).actionId(), null, event.globalIndex(),
                            "a stored action the log passed without a leaf (it appeared after its place was passed)");
                }, position, leaves.actionPayloadTypes().toArray(String[]::new));
        return missing.isEmpty() ? null : missing.get(0);
    }

    /** The right border of a tree built leaf by leaf, and its RFC 9162 root. */
    private static final class Frontier {
        private final Hash[] border = new Hash[64];
        private long size;

        void add(Hash leaf) {
            Hash hash = leaf;
            int level = 0;
            while ((size >>> level & 1) == 1) {
                hash = MerkleHashes.node(border[level], hash);
                border[level] = null;
                level++;
            }
            border[level] = hash;
            size++;
        }

        long size() {
            return size;
        }

        Hash root() {
            if (size == 0) {
                return MerkleHashes.EMPTY_ROOT;
            }
            Hash root = null;
            for (int level = 0; level < 64; level++) {
                if ((size >>> level & 1) == 1) {
                    root = root == null ? border[level] : MerkleHashes.node(border[level], root);
                }
            }
            return root;
        }
    }
}
