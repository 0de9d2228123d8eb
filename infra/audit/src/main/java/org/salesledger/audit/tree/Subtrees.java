package org.salesledger.audit.tree;

import java.util.ArrayList;
import java.util.List;

/** Arithmetic on leaf ranges: which stored perfect subtrees make up a subtree of RFC 9162's definitions. */
final class Subtrees {

    private Subtrees() {
    }

    /**
     * The perfect subtrees, left to right, that make up the leaves {@code [start, end)}: for the ranges RFC 9162's
     * recursion produces (start a multiple of a power of two at least as large as the range), folding their hashes
     * from the right gives the range's MTH. At most one per bit of {@code end - start}.
     */
    static List<NodeId> cover(long start, long end) {
        List<NodeId> ids = new ArrayList<>();
        while (start < end) {
            int alignment = start == 0 ? 62 : Long.numberOfTrailingZeros(start);
            int fits = 63 - Long.numberOfLeadingZeros(end - start);
            int level = Math.min(alignment, fits);
            ids.add(new NodeId(level, start >>> level));
            start += 1L << level;
        }
        return ids;
    }

    /** The largest power of two strictly smaller than {@code n} (n ≥ 2): RFC 9162's split point k. */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }
}
