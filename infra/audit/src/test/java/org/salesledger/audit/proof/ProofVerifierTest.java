package org.salesledger.audit.proof;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.hash.MerkleHashes;
import org.salesledger.audit.vectors.Rfc6962Vectors;
import org.salesledger.audit.vectors.Rfc6962Vectors.Consistency;
import org.salesledger.audit.vectors.Rfc6962Vectors.Inclusion;
import org.junit.jupiter.api.Test;

/**
 * The verifier of RFC 9162 §2.1.3.2 and §2.1.4.2 on the published proofs ({@link Rfc6962Vectors}), and on each of
 * them changed the ways transparency-dev/merkle's testdata changes them (index and sizes moved, a bit of a hash
 * flipped, a hash added, removed or put before, roots swapped or wrong): the original verifies, no change does.
 */
class ProofVerifierTest {

    private static final Hash OTHER = MerkleHashes.leaf(new byte[] {42});

    @Test
    void acceptsThePublishedInclusionProofs() {
        for (Inclusion v : Rfc6962Vectors.INCLUSION) {
            assertThatCode(() -> ProofVerifier.verifyInclusion(v.leafIndex(), v.treeSize(), h(v.leafHash()),
                    hashes(v.proof()), h(v.root()))).as("%s", v).doesNotThrowAnyException();
        }
    }

    @Test
    void refusesEveryChangedInclusionProof() {
        for (Inclusion v : Rfc6962Vectors.INCLUSION) {
            long i = v.leafIndex();
            long n = v.treeSize();
            Hash leaf = h(v.leafHash());
            Hash root = h(v.root());
            List<Hash> proof = hashes(v.proof());
            List<Runnable> changes = new ArrayList<>(List.of(
                    () -> ProofVerifier.verifyInclusion(i + 1, n, leaf, proof, root),
                    () -> ProofVerifier.verifyInclusion(i ^ 2, n, leaf, proof, root),
                    () -> ProofVerifier.verifyInclusion(i, n * 2, leaf, proof, root),
                    () -> ProofVerifier.verifyInclusion(i, n / 2, leaf, proof, root),
                    () -> ProofVerifier.verifyInclusion(i, n, OTHER, proof, root),
                    () -> ProofVerifier.verifyInclusion(i, n, leaf, proof, OTHER),
                    () -> ProofVerifier.verifyInclusion(i, n, leaf, proof, MerkleHashes.EMPTY_ROOT),
                    () -> ProofVerifier.verifyInclusion(i, n, leaf, with(proof, p -> p.add(OTHER)), root),
                    () -> ProofVerifier.verifyInclusion(i, n, leaf, with(proof, p -> p.add(0, OTHER)), root),
                    () -> ProofVerifier.verifyInclusion(i, n, leaf, with(proof, p -> p.add(root)), root),
                    () -> ProofVerifier.verifyInclusion(i, n, leaf, with(proof, p -> p.add(0, root)), root)));
            if (i > 0) {
                changes.add(() -> ProofVerifier.verifyInclusion(i - 1, n, leaf, proof, root));
            }
            for (int k = 0; k < proof.size(); k++) {
                int at = k;
                changes.add(() -> ProofVerifier.verifyInclusion(i, n, leaf, flipBit(proof, at), root));
                changes.add(() -> ProofVerifier.verifyInclusion(i, n, leaf, with(proof, p -> p.remove(at)), root));
            }
            for (Runnable change : changes) {
                assertThatThrownBy(change::run).as("a change of %s", v).isInstanceOf(InvalidProofException.class);
            }
        }
    }

    @Test
    void acceptsThePublishedConsistencyProofs() {
        for (Consistency v : Rfc6962Vectors.CONSISTENCY) {
            assertThatCode(() -> ProofVerifier.verifyConsistency(v.size1(), v.size2(), h(v.root1()), h(v.root2()),
                    hashes(v.proof()))).as("%s", v).doesNotThrowAnyException();
        }
    }

    @Test
    void refusesEveryChangedConsistencyProof() {
        for (Consistency v : Rfc6962Vectors.CONSISTENCY) {
            long m = v.size1();
            long n = v.size2();
            Hash r1 = h(v.root1());
            Hash r2 = h(v.root2());
            List<Hash> proof = hashes(v.proof());
            List<Runnable> changes = new ArrayList<>(List.of(
                    () -> ProofVerifier.verifyConsistency(m + 1, n, r1, r2, proof),
                    () -> ProofVerifier.verifyConsistency(m - 1, n, r1, r2, proof),
                    () -> ProofVerifier.verifyConsistency(m ^ 2, n, r1, r2, proof),
                    () -> ProofVerifier.verifyConsistency(m, n * 2, r1, r2, proof),
                    () -> ProofVerifier.verifyConsistency(m, n / 2, r1, r2, proof),
                    () -> ProofVerifier.verifyConsistency(m, n, r1, OTHER, proof),
                    () -> ProofVerifier.verifyConsistency(m, n, OTHER, r2, proof),
                    () -> ProofVerifier.verifyConsistency(m, n, r1, r2, with(proof, p -> p.add(OTHER))),
                    () -> ProofVerifier.verifyConsistency(m, n, r1, r2, with(proof, p -> p.add(0, OTHER))),
                    () -> ProofVerifier.verifyConsistency(m, n, r1, r2, with(proof, p -> p.add(r1))),
                    () -> ProofVerifier.verifyConsistency(m, n, r1, r2, with(proof, p -> p.add(0, r2)))));
            if (!r1.equals(r2)) {
                changes.add(() -> ProofVerifier.verifyConsistency(m, n, r2, r1, proof));
            }
            if (m != n) {
                changes.add(() -> ProofVerifier.verifyConsistency(m, n, r1, r2, List.of()));
            }
            for (int k = 0; k < proof.size(); k++) {
                int at = k;
                changes.add(() -> ProofVerifier.verifyConsistency(m, n, r1, r2, flipBit(proof, at)));
                changes.add(() -> ProofVerifier.verifyConsistency(m, n, r1, r2, with(proof, p -> p.remove(at))));
            }
            for (Runnable change : changes) {
                assertThatThrownBy(change::run).as("a change of %s", v).isInstanceOf(InvalidProofException.class);
            }
        }
    }

    /** transparency-dev/merkle testdata/consistency/additional: the edge cases of sizes 0 and equal sizes. */
    @Test
    void decidesTheEdgeCasesOfConsistencyAsTheReferenceDoes() {
        Hash empty = MerkleHashes.EMPTY_ROOT;
        Hash a = MerkleHashes.leaf(new byte[] {1});
        Hash b = MerkleHashes.leaf(new byte[] {2});
        assertThatCode(() -> ProofVerifier.verifyConsistency(1, 1, a, a, List.of())).doesNotThrowAnyException();
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(1, 1, a, b, List.of()))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(1, 1, a, a, List.of(a)))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(0, 0, empty, empty, List.of()))
                .isInstanceOf(InvalidProofException.class).hasMessageContaining("proves nothing");
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(0, 1, empty, a, List.of()))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(2, 1, a, b, List.of()))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(1, 2, a, b, List.of()))
                .isInstanceOf(InvalidProofException.class);
    }

    @Test
    void refusesALeafIndexOutsideTheTree() {
        Hash a = MerkleHashes.leaf(new byte[] {1});
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(1, 1, a, List.of(), a))
                .isInstanceOf(InvalidProofException.class).hasMessageContaining("not in a tree of size 1");
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 0, a, List.of(), a))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(-1, 4, a, List.of(), a))
                .isInstanceOf(InvalidProofException.class);
    }

    private static List<Hash> with(List<Hash> proof, Consumer<List<Hash>> change) {
        List<Hash> changed = new ArrayList<>(proof);
        change.accept(changed);
        return Collections.unmodifiableList(changed);
    }

    private static List<Hash> flipBit(List<Hash> proof, int at) {
        byte[] bytes = proof.get(at).bytes();
        bytes[4] ^= 0x10;
        List<Hash> changed = new ArrayList<>(proof);
        changed.set(at, Hash.of(bytes));
        return changed;
    }

    private static Hash h(String base64) {
        return Hash.fromBase64(base64);
    }

    private static List<Hash> hashes(List<String> base64) {
        return base64.stream().map(Hash::fromBase64).toList();
    }
}
