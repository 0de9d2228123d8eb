package org.salesledger.audit.tree;

import java.util.ArrayList;
import java.util.List;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.hash.MerkleHashes;

/**
 * The one writer of a {@link TreeStore}: appends leaves in order and stores, with each batch, every perfect subtree
 * the batch completes. It keeps the tree's right border in memory (one hash per set bit of the size, read once when
 * it starts), so appending reads nothing and costs one hash per completed node, about two per leaf.
 *
 * <p>Not thread-safe: exactly one appender per tree (ADR 0030). A batch is written by one
 * {@link TreeStore#write} call; if that fails (another writer, a database error) nothing here changes, and the
 * appender should be replaced by a new one that reads the stored border again.
 */
public final class TreeAppender {

    private final TreeStore store;
    private long size;
    /** frontier[l]: the hash of the complete subtree at level l on the right border, when bit l of size is set. */
    private Hash[] frontier = new Hash[64];

    public TreeAppender(TreeStore store) {
        this.store = store;
        this.size = store.size();
        List<NodeId> border = Subtrees.cover(0, size);
        List<Hash> hashes = store.read(border);
        for (int i = 0; i < border.size(); i++) {
            frontier[border.get(i).level()] = hashes.get(i);
        }
    }

    /** The number of leaves in the tree. */
    public long size() {
        return size;
    }

    /** Appends one leaf per element of {@code leafData} (hashed as RFC 9162 leaves); answers the new size. */
    public long appendLeaves(List<byte[]> leafData) {
        List<Hash> hashes = new ArrayList<>(leafData.size());
        for (byte[] data : leafData) {
            hashes.add(MerkleHashes.leaf(data));
        }
        return appendLeafHashes(hashes);
    }

    /** Appends leaves given by their leaf hashes ({@link MerkleHashes#leaf}); answers the new size. */
    public long appendLeafHashes(List<Hash> leafHashes) {
        if (leafHashes.isEmpty()) {
            return size;
        }
        Hash[] border = frontier.clone();
        List<StoredNode> nodes = new ArrayList<>(leafHashes.size() * 2 + 64);
        long n = size;
        for (Hash leaf : leafHashes) {
            Hash hash = leaf;
            int level = 0;
            nodes.add(new StoredNode(new NodeId(0, n), hash));
            // Like adding one to a binary counter: each set bit of n is a complete left sibling to merge with.
            while ((n >>> level & 1) == 1) {
                hash = MerkleHashes.node(border[level], hash);
                border[level] = null;
                level++;
                nodes.add(new StoredNode(new NodeId(level, n >>> level), hash));
            }
            border[level] = hash;
            n++;
        }
        store.write(size, n, nodes);
        frontier = border;
        size = n;
        return size;
    }
}
