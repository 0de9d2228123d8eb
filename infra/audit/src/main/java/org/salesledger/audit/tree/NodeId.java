package org.salesledger.audit.tree;

/**
 * A perfect subtree of the log: the {@code 2^level} leaves from {@code index · 2^level} on. Level 0 is a leaf; every
 * such subtree, once all its leaves are in, has a hash that never changes, which is what a {@link TreeStore} keeps.
 *
 * @param level the subtree's height, 0 to 62
 * @param index its position among the subtrees of that height, from 0
 */
public record NodeId(int level, long index) {

    public NodeId {
        if (level < 0 || level > 62) {
            throw new IllegalArgumentException("level must be 0 to 62, was " + level);
        }
        if (index < 0 || index > (Long.MAX_VALUE >> level) - 1) {
            throw new IllegalArgumentException("index " + index + " out of range at level " + level);
        }
    }

    /** The first leaf it covers. */
    public long start() {
        return index << level;
    }

    /** One past the last leaf it covers. */
    public long end() {
        return (index + 1) << level;
    }

    @Override
    public String toString() {
        return "(" + level + "," + index + ")";
    }
}
