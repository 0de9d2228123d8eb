package org.salesledger.audit.tree;

import java.util.List;
import org.salesledger.audit.hash.Hash;

/**
 * Where the log's tree is kept: the hash of every perfect subtree ({@link NodeId}) whose leaves are all in, and the
 * number of leaves. About 2n hashes for n leaves, each written once and never changed; any root or proof is a handful
 * of them (at most about 2·log2 n), read in one call.
 *
 * <p>Implementations: {@link InMemoryTreeStore}; a PostgreSQL one (a table keyed by level and index) comes with the
 * wiring (ADR 0030). One {@link TreeAppender} writes; any number of {@link ProofGenerator}s read.
 */
public interface TreeStore {

    /** The number of leaves stored. */
    long size();

    /**
     * The hashes of {@code ids}, in the same order.
     *
     * @throws IllegalArgumentException if one of them is not stored (not complete yet)
     */
    List<Hash> read(List<NodeId> ids);

    /**
     * Adds {@code nodes} (the new leaves and every subtree they complete) and moves the size from
     * {@code expectedSize} to {@code newSize}, all or nothing.
     *
     * @throws IllegalStateException if the stored size is not {@code expectedSize} (another writer got there first)
     */
    void write(long expectedSize, long newSize, List<StoredNode> nodes);
}
