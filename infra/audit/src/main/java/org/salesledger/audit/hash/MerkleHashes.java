package org.salesledger.audit.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashing of RFC 9162 §2.1.1 (as RFC 6962 §2.1), which both the tree and every verifier use: a leaf is
 * {@code SHA-256(0x00 ‖ data)}, an interior node {@code SHA-256(0x01 ‖ left ‖ right)}, the empty tree
 * {@code SHA-256()}. The two prefixes keep a leaf from ever passing for a node.
 */
public final class MerkleHashes {

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    /** The root hash of the tree with no leaves: SHA-256 of nothing. */
    public static final Hash EMPTY_ROOT = Hash.wrap(sha256().digest());

    private MerkleHashes() {
    }

    /** The hash of a leaf whose data is {@code data}. */
    public static Hash leaf(byte[] data) {
        MessageDigest digest = sha256();
        digest.update(LEAF_PREFIX);
        digest.update(data);
        return Hash.wrap(digest.digest());
    }

    /** The hash of the interior node whose children are {@code left} and {@code right}. */
    public static Hash node(Hash left, Hash right) {
        MessageDigest digest = sha256();
        digest.update(NODE_PREFIX);
        left.updateDigest(digest);
        right.updateDigest(digest);
        return Hash.wrap(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
