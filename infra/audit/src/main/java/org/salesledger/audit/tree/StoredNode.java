package org.salesledger.audit.tree;

import java.util.Objects;
import org.salesledger.audit.hash.Hash;

/** A perfect subtree with its hash, as written to a {@link TreeStore}. */
public record StoredNode(NodeId id, Hash hash) {

    public StoredNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hash, "hash");
    }
}
