package org.salesledger.audit.tree;

import java.util.ArrayList;
import java.util.List;
import org.salesledger.audit.hash.Hash;

/**
 * A {@link TreeStore} in the heap: one growing list of hashes per level. For tests and small logs; thread-safe.
 * It refuses what a correct appender never does: a node written out of order or twice, a leaf count that does not
 * follow.
 */
public final class InMemoryTreeStore implements TreeStore {

    private final List<List<Hash>> levels = new ArrayList<>();
    private long size;

    @Override
    public synchronized long size() {
        return size;
    }

    @Override
    public synchronized List<Hash> read(List<NodeId> ids) {
        List<Hash> hashes = new ArrayList<>(ids.size());
        for (NodeId id : ids) {
            if (id.level() >= levels.size() || id.index() >= levels.get(id.level()).size()) {
                throw new IllegalArgumentException("node " + id + " is not stored (tree size " + size + ")");
            }
            hashes.add(levels.get(id.level()).get((int) id.index()));
        }
        return hashes;
    }

    @Override
    public synchronized void write(long expectedSize, long newSize, List<StoredNode> nodes) {
        if (size != expectedSize) {
            throw new IllegalStateException("the tree has " + size + " leaves, the writer expected " + expectedSize);
        }
        if (newSize < expectedSize) {
            throw new IllegalArgumentException("a tree only grows: " + expectedSize + " -> " + newSize);
        }
        int[] added = new int[64];
        for (StoredNode node : nodes) {
            NodeId id = node.id();
            long next = (id.level() < levels.size() ? levels.get(id.level()).size() : 0) + added[id.level()];
            if (id.index() != next || id.end() > newSize) {
                throw new IllegalArgumentException("node " + id + " does not follow: level " + id.level()
                        + " expects index " + next + " and the tree will have " + newSize + " leaves");
            }
            if (id.index() >= Integer.MAX_VALUE) {
                throw new IllegalStateException("the in-memory store holds at most 2^31 nodes a level");
            }
            added[id.level()]++;
        }
        for (int level = 0; level < added.length; level++) {
            long stored = (level < levels.size() ? levels.get(level).size() : 0) + added[level];
            if (stored != newSize >> level) {
                throw new IllegalArgumentException("a tree of " + newSize + " leaves has " + (newSize >> level)
                        + " complete nodes at level " + level + "; this write would leave " + stored);
            }
        }
        for (StoredNode node : nodes) {
            while (levels.size() <= node.id().level()) {
                levels.add(new ArrayList<>());
            }
            levels.get(node.id().level()).add(node.hash());
        }
        size = newSize;
    }
}
