package org.salesledger.audit.tree;

import java.util.ArrayList;
import java.util.List;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.hash.MerkleHashes;

/**
 * Answers a tree's root hash at any size it has had, inclusion proofs (RFC 9162 §2.1.3.1) and consistency proofs
 * (§2.1.4.1), from the perfect subtrees a {@link TreeStore} keeps: it works out the node ids a proof needs (pure
 * arithmetic), reads them in one {@link TreeStore#read} call — O(log n) of them, about 2·log2 n at most — and hashes
 * the few subtrees on the right border that are not perfect. Nothing is recomputed from the leaves.
 *
 * <p>Safe to use from many threads while one {@link TreeAppender} appends. Checking a proof is not here but in
 * {@code org.salesledger.audit.proof}, which shares nothing with this code but the hash functions.
 */
public final class ProofGenerator {

    private final TreeStore store;

    public ProofGenerator(TreeStore store) {
        this.store = store;
    }

    /** The number of leaves stored now. */
    public long size() {
        return store.size();
    }

    /** MTH of the first {@code treeSize} leaves. */
    public Hash rootHash(long treeSize) {
        requireStored(treeSize, "treeSize");
        if (treeSize == 0) {
            return MerkleHashes.EMPTY_ROOT;
        }
        return hashes(List.of(new long[] {0, treeSize})).get(0);
    }

    /**
     * The audit path of leaf {@code leafIndex} in the tree of the first {@code treeSize} leaves, leaf to root
     * (RFC 9162 §2.1.3.1, PATH(m, D[n])).
     */
    public List<Hash> inclusionProof(long leafIndex, long treeSize) {
        requireStored(treeSize, "treeSize");
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("leafIndex must be in [0, " + treeSize + "), was " + leafIndex);
        }
        List<long[]> ranges = new ArrayList<>();
        path(leafIndex, 0, treeSize, ranges);
        return hashes(ranges);
    }

    /**
     * The consistency proof from the tree of the first {@code size1} leaves to that of the first {@code size2}
     * (RFC 9162 §2.1.4.1, PROOF(m, D[n])); empty when the sizes are equal.
     */
    public List<Hash> consistencyProof(long size1, long size2) {
        requireStored(size2, "size2");
        if (size1 <= 0 || size1 > size2) {
            throw new IllegalArgumentException("size1 must be in [1, size2 = " + size2 + "], was " + size1
                    + " (a proof from the empty tree proves nothing)");
        }
        List<long[]> ranges = new ArrayList<>();
        subproof(size1, 0, size2, true, ranges);
        return hashes(ranges);
    }

    /** PATH(m, D[lo:hi]): the sibling subtrees from the leaf up, appended to {@code out}. */
    private static void path(long m, long lo, long hi, List<long[]> out) {
        if (hi - lo == 1) {
            return;
        }
        long k = lo + Subtrees.split(hi - lo);
        if (m < k) {
            path(m, lo, k, out);
            out.add(new long[] {k, hi});
        } else {
            path(m, k, hi, out);
            out.add(new long[] {lo, k});
        }
    }

    /** SUBPROOF(m, D[lo:hi], b) with m counted from the tree's first leaf. */
    private static void subproof(long m, long lo, long hi, boolean completeOldTree, List<long[]> out) {
        if (m == hi) {
            if (!completeOldTree) {
                out.add(new long[] {lo, hi});
            }
            return;
        }
        long k = lo + Subtrees.split(hi - lo);
        if (m <= k) {
            subproof(m, lo, k, completeOldTree, out);
            out.add(new long[] {k, hi});
        } else {
            subproof(m, k, hi, false, out);
            out.add(new long[] {lo, k});
        }
    }

    /** The MTH of each range, all stored nodes read in one call. */
    private List<Hash> hashes(List<long[]> ranges) {
        List<List<NodeId>> covers = new ArrayList<>(ranges.size());
        List<NodeId> all = new ArrayList<>();
        for (long[] range : ranges) {
            List<NodeId> cover = Subtrees.cover(range[0], range[1]);
            covers.add(cover);
            all.addAll(cover);
        }
        List<Hash> read = store.read(all);
        if (read.size() != all.size()) {
            throw new IllegalStateException("the tree store answered " + read.size() + " hashes for " + all.size()
                    + " nodes");
        }
        List<Hash> result = new ArrayList<>(ranges.size());
        int next = 0;
        for (List<NodeId> cover : covers) {
            int last = next + cover.size() - 1;
            Hash hash = read.get(last);
            for (int i = last - 1; i >= next; i--) {
                hash = MerkleHashes.node(read.get(i), hash);
            }
            result.add(hash);
            next = last + 1;
        }
        return result;
    }

    private void requireStored(long treeSize, String name) {
        long stored = store.size();
        if (treeSize < 0 || treeSize > stored) {
            throw new IllegalArgumentException(name + " must be in [0, " + stored + "] (the leaves stored), was "
                    + treeSize);
        }
    }
}
