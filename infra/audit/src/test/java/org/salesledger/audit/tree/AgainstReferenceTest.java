package org.salesledger.audit.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.proof.ProofVerifier;
import org.salesledger.audit.vectors.ReferenceMerkle;
import org.junit.jupiter.api.Test;

/**
 * Proofs from the production tree checked by {@link ReferenceMerkle}, an implementation of RFC 9162's recursive
 * definitions written separately in the test sources: every proof of every small tree, then random proofs in a
 * tree of a few thousand leaves appended in random batches.
 */
class AgainstReferenceTest {

    private static final int SMALL = 70;
    private static final int LARGE = 3000;

    @Test
    void everyProofOfEverySmallTreeIsTheReferenceProof() {
        List<byte[]> leaves = randomLeaves(new Random(1), SMALL);
        ProofGenerator tree = treeOf(leaves, new Random(2));
        for (int n = 1; n <= SMALL; n++) {
            List<byte[]> prefix = leaves.subList(0, n);
            byte[] root = ReferenceMerkle.mth(prefix);
            assertThat(tree.rootHash(n).bytes()).as("root of %d", n).isEqualTo(root);
            for (int m = 0; m < n; m++) {
                List<Hash> proof = tree.inclusionProof(m, n);
                assertThat(bytes(proof)).as("inclusion of %d in %d", m, n)
                        .containsExactlyElementsOf(ReferenceMerkle.path(m, prefix));
                byte[] leafHash = ReferenceMerkle.leafHash(leaves.get(m));
                assertThat(ReferenceMerkle.verifyInclusion(m, n, leafHash, bytes(proof), root)).isTrue();
                ProofVerifier.verifyInclusion(m, n, Hash.of(leafHash), proof, Hash.of(root));
            }
            for (int m = 1; m <= n; m++) {
                List<Hash> proof = tree.consistencyProof(m, n);
                byte[] oldRoot = ReferenceMerkle.mth(leaves.subList(0, m));
                assertThat(bytes(proof)).as("consistency from %d to %d", m, n)
                        .containsExactlyElementsOf(ReferenceMerkle.proof(m, prefix));
                assertThat(ReferenceMerkle.verifyConsistency(m, n, oldRoot, root, bytes(proof))).isTrue();
                ProofVerifier.verifyConsistency(m, n, Hash.of(oldRoot), Hash.of(root), proof);
            }
        }
    }

    @Test
    void randomProofsInALargerTreeVerifyWithTheReference() {
        Random random = new Random(20261206);
        List<byte[]> leaves = randomLeaves(random, LARGE);
        ProofGenerator tree = treeOf(leaves, random);
        for (int round = 0; round < 150; round++) {
            int n = 1 + random.nextInt(LARGE);
            byte[] root = ReferenceMerkle.mth(leaves.subList(0, n));
            assertThat(tree.rootHash(n).bytes()).as("root of %d", n).isEqualTo(root);

            int m = random.nextInt(n);
            List<byte[]> path = bytes(tree.inclusionProof(m, n));
            byte[] leafHash = ReferenceMerkle.leafHash(leaves.get(m));
            assertThat(ReferenceMerkle.verifyInclusion(m, n, leafHash, path, root))
                    .as("inclusion of %d in %d", m, n).isTrue();
            if (!path.isEmpty()) {
                assertThat(ReferenceMerkle.verifyInclusion(m, n, leafHash, flipOneBit(path, random), root))
                        .as("a changed inclusion proof of %d in %d", m, n).isFalse();
            }

            int size1 = 1 + random.nextInt(n);
            List<byte[]> proof = bytes(tree.consistencyProof(size1, n));
            byte[] oldRoot = ReferenceMerkle.mth(leaves.subList(0, size1));
            assertThat(ReferenceMerkle.verifyConsistency(size1, n, oldRoot, root, proof))
                    .as("consistency from %d to %d", size1, n).isTrue();
            if (!proof.isEmpty()) {
                assertThat(ReferenceMerkle.verifyConsistency(size1, n, oldRoot, root, flipOneBit(proof, random)))
                        .as("a changed consistency proof from %d to %d", size1, n).isFalse();
            }
        }
    }

    private static ProofGenerator treeOf(List<byte[]> leaves, Random random) {
        InMemoryTreeStore store = new InMemoryTreeStore();
        TreeAppender appender = new TreeAppender(store);
        int next = 0;
        while (next < leaves.size()) {
            int batch = Math.min(leaves.size() - next, 1 + random.nextInt(40));
            appender.appendLeaves(leaves.subList(next, next + batch));
            next += batch;
        }
        return new ProofGenerator(store);
    }

    private static List<byte[]> randomLeaves(Random random, int count) {
        List<byte[]> leaves = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] leaf = new byte[random.nextInt(48)];
            random.nextBytes(leaf);
            leaves.add(leaf);
        }
        return leaves;
    }

    private static List<byte[]> flipOneBit(List<byte[]> proof, Random random) {
        List<byte[]> changed = new ArrayList<>(proof.size());
        proof.forEach(hash -> changed.add(hash.clone()));
        if (!changed.isEmpty()) {
            byte[] hash = changed.get(random.nextInt(changed.size()));
            hash[random.nextInt(hash.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return changed;
    }

    private static List<byte[]> bytes(List<Hash> hashes) {
        return hashes.stream().map(Hash::bytes).toList();
    }
}
