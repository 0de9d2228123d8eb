package org.salesledger.query.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.tree.NodeId;
import org.salesledger.audit.tree.StoredNode;
import org.salesledger.audit.tree.TreeStore;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit tree in PostgreSQL: {@code audit_tree_node(level, idx, hash)} holds every complete perfect subtree,
 * {@code audit_log.size} the number of leaves (ADR 0030, 0031). {@link #write} joins the caller's transaction, so
 * that the appender writes the nodes, the leaf rows and its position in one.
 */
final class PostgresTreeStore implements TreeStore {

    private final JdbcTemplate jdbc;

    PostgresTreeStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long size() {
        Long size = jdbc.queryForObject("SELECT size FROM audit_log WHERE id = 1", Long.class);
        return size == null ? 0 : size;
    }

    @Override
    public List<Hash> read(List<NodeId> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Short[] levels = new Short[ids.size()];
        Long[] indexes = new Long[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            levels[i] = (short) ids.get(i).level();
            indexes[i] = ids.get(i).index();
        }
        Map<NodeId, Hash> found = new HashMap<>();
        jdbc.query(con -> {
            var statement = con.prepareStatement("SELECT n.level, n.idx, n.hash FROM audit_tree_node n "
                    + "JOIN unnest(?::smallint[], ?::bigint[]) AS w(level, idx) "
                    + "ON n.level = w.level AND n.idx = w.idx");
            statement.setArray(1, con.createArrayOf("int2", levels));
            statement.setArray(2, con.createArrayOf("int8", indexes));
            return statement;
        }, row -> {
            found.put(new NodeId(row.getShort(1), row.getLong(2)), Hash.of(row.getBytes(3)));
        });
        List<Hash> hashes = new ArrayList<>(ids.size());
        for (NodeId id : ids) {
            Hash hash = found.get(id);
            if (hash == null) {
                throw new IllegalArgumentException("the audit tree has no node " + id + " (not complete yet)");
            }
            hashes.add(hash);
        }
        return hashes;
    }

    @Override
    public void write(long expectedSize, long newSize, List<StoredNode> nodes) {
        int moved = jdbc.update("UPDATE audit_log SET size = ? WHERE id = 1 AND size = ?", newSize, expectedSize);
        if (moved != 1) {
            throw new IllegalStateException("the audit tree is no longer of size " + expectedSize
                    + ": another appender wrote to it");
        }
        jdbc.batchUpdate("INSERT INTO audit_tree_node (level, idx, hash) VALUES (?, ?, ?)", nodes, 1000,
                (statement, node) -> {
                    statement.setShort(1, (short) node.id().level());
                    statement.setLong(2, node.id().index());
                    statement.setBytes(3, node.hash().bytes());
                });
    }
}
