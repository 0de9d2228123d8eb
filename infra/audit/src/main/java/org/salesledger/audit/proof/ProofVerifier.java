package org.salesledger.audit.proof;

import java.util.ArrayList;
import java.util.List;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.hash.MerkleHashes;

/**
 * Checks inclusion and consistency proofs against root hashes, exactly as RFC 9162 §2.1.3.2 and §2.1.4.2 describe:
 * what an auditor, a witness or the offline verifier runs, with nothing but the proof, the hashes and the sizes. It
 * shares no code with the tree that makes the proofs ({@code org.salesledger.audit.tree}) beyond the hash functions.
 *
 * <p>Conventions for the edge cases (as github.com/transparency-dev/merkle): a consistency proof between equal sizes
 * is empty and the two roots must be equal; one from the empty tree is refused (it proves nothing).
 */
public final class ProofVerifier {

    private ProofVerifier() {
    }

    /**
     * Checks that the leaf with hash {@code leafHash} is leaf {@code leafIndex} of the tree of {@code treeSize}
     * leaves whose root is {@code rootHash}.
     *
     * @throws InvalidProofException naming the check that failed
     */
    public static void verifyInclusion(long leafIndex, long treeSize, Hash leafHash, List<Hash> proof,
            Hash rootHash) {
        Hash computed = rootFromInclusion(leafIndex, treeSize, leafHash, proof);
        if (!computed.equals(rootHash)) {
            throw new InvalidProofException("inclusion proof of leaf " + leafIndex + " in tree size " + treeSize
                    + " leads to root " + computed.base64() + ", not " + rootHash.base64());
        }
    }

    /**
     * The root hash that an inclusion proof leads to (RFC 9162 §2.1.3.2, steps 1 to 4, and the size check of 5).
     *
     * @throws InvalidProofException if the proof has the wrong length for the index and size
     */
    public static Hash rootFromInclusion(long leafIndex, long treeSize, Hash leafHash, List<Hash> proof) {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new InvalidProofException("leaf index " + leafIndex + " is not in a tree of size " + treeSize);
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        Hash r = leafHash;
        for (Hash p : proof) {
            if (sn == 0) {
                throw new InvalidProofException("inclusion proof of leaf " + leafIndex + " in tree size " + treeSize
                        + " is too long: " + proof.size() + " hashes");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHashes.node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = MerkleHashes.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new InvalidProofException("inclusion proof of leaf " + leafIndex + " in tree size " + treeSize
                    + " is too short: " + proof.size() + " hashes");
        }
        return r;
    }

    /**
     * Checks that the tree of {@code size1} leaves with root {@code root1} is a prefix of the tree of {@code size2}
     * leaves with root {@code root2}.
     *
     * @throws InvalidProofException naming the check that failed
     */
    public static void verifyConsistency(long size1, long size2, Hash root1, Hash root2, List<Hash> proof) {
        if (size1 <= 0) {
            throw new InvalidProofException("a consistency proof from tree size " + size1 + " proves nothing");
        }
        if (size2 < size1) {
            throw new InvalidProofException("tree size " + size2 + " is smaller than " + size1);
        }
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new InvalidProofException("between equal tree sizes the consistency proof must be empty, has "
                        + proof.size() + " hashes");
            }
            if (!root1.equals(root2)) {
                throw new InvalidProofException("tree size " + size1 + " with two different roots");
            }
            return;
        }
        // RFC 9162 §2.1.4.2
        if (proof.isEmpty()) {
            throw new InvalidProofException("empty consistency proof from " + size1 + " to " + size2);
        }
        List<Hash> path = proof;
        if (Long.bitCount(size1) == 1) {
            path = new ArrayList<>(proof.size() + 1);
            path.add(root1);
            path.addAll(proof);
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        Hash fr = path.get(0);
        Hash sr = path.get(0);
        for (Hash c : path.subList(1, path.size())) {
            if (sn == 0) {
                throw new InvalidProofException("consistency proof from " + size1 + " to " + size2
                        + " is too long: " + proof.size() + " hashes");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHashes.node(c, fr);
                sr = MerkleHashes.node(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = MerkleHashes.node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new InvalidProofException("consistency proof from " + size1 + " to " + size2 + " is too short: "
                    + proof.size() + " hashes");
        }
        if (!fr.equals(root1)) {
            throw new InvalidProofException("consistency proof leads to root " + fr.base64() + " for size " + size1
                    + ", not " + root1.base64());
        }
        if (!sr.equals(root2)) {
            throw new InvalidProofException("consistency proof leads to root " + sr.base64() + " for size " + size2
                    + ", not " + root2.base64());
        }
    }
}
