package org.salesledger.audit.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.hash.MerkleHashes;
import org.salesledger.audit.vectors.Rfc6962Vectors;
import org.salesledger.audit.vectors.Rfc6962Vectors.Consistency;
import org.salesledger.audit.vectors.Rfc6962Vectors.Inclusion;
import org.junit.jupiter.api.Test;

/** The tree against the Certificate Transparency reference vectors ({@link Rfc6962Vectors}). */
class PublishedVectorsTest {

    @Test
    void hashesEachLeafAsPublished() {
        List<byte[]> inputs = Rfc6962Vectors.leafInputs();
        for (int i = 0; i < inputs.size(); i++) {
            assertThat(MerkleHashes.leaf(inputs.get(i)).hex()).as("leaf %d", i)
                    .isEqualTo(Rfc6962Vectors.NODE_HASHES_HEX.get(0).get(i));
        }
    }

    @Test
    void hasThePublishedRootAtEverySizeWhileGrowingOneLeafAtATime() {
        InMemoryTreeStore store = new InMemoryTreeStore();
        TreeAppender appender = new TreeAppender(store);
        ProofGenerator tree = new ProofGenerator(store);
        assertThat(tree.rootHash(0).hex()).isEqualTo(Rfc6962Vectors.ROOT_HASHES_HEX.get(0));
        for (byte[] input : Rfc6962Vectors.leafInputs()) {
            long size = appender.appendLeaves(List.of(input));
            for (int earlier = 0; earlier <= size; earlier++) {
                assertThat(tree.rootHash(earlier).hex()).as("root of size %d when the tree has %d", earlier, size)
                        .isEqualTo(Rfc6962Vectors.ROOT_HASHES_HEX.get(earlier));
            }
        }
    }

    @Test
    void storesEveryCompleteSubtreeWithItsPublishedHash() {
        InMemoryTreeStore store = new InMemoryTreeStore();
        TreeAppender appender = new TreeAppender(store);
        List<byte[]> inputs = Rfc6962Vectors.leafInputs();
        appender.appendLeaves(inputs.subList(0, 3));
        appender.appendLeaves(inputs.subList(3, 8));
        for (int level = 0; level < Rfc6962Vectors.NODE_HASHES_HEX.size(); level++) {
            List<String> expected = Rfc6962Vectors.NODE_HASHES_HEX.get(level);
            for (int index = 0; index < expected.size(); index++) {
                assertThat(store.read(List.of(new NodeId(level, index))).get(0).hex())
                        .as("node (%d,%d)", level, index).isEqualTo(expected.get(index));
            }
        }
    }

    @Test
    void givesThePublishedInclusionProofs() {
        ProofGenerator tree = eightLeafTree();
        for (Inclusion vector : Rfc6962Vectors.INCLUSION) {
            assertThat(base64(tree.inclusionProof(vector.leafIndex(), vector.treeSize())))
                    .as("inclusion of %d in %d", vector.leafIndex(), vector.treeSize())
                    .isEqualTo(vector.proof());
            assertThat(tree.rootHash(vector.treeSize()).base64()).isEqualTo(vector.root());
            assertThat(MerkleHashes.leaf(Rfc6962Vectors.leafInputs().get((int) vector.leafIndex())).base64())
                    .isEqualTo(vector.leafHash());
        }
    }

    @Test
    void givesThePublishedConsistencyProofs() {
        ProofGenerator tree = eightLeafTree();
        for (Consistency vector : Rfc6962Vectors.CONSISTENCY) {
            assertThat(base64(tree.consistencyProof(vector.size1(), vector.size2())))
                    .as("consistency from %d to %d", vector.size1(), vector.size2())
                    .isEqualTo(vector.proof());
            assertThat(tree.rootHash(vector.size1()).base64()).isEqualTo(vector.root1());
            assertThat(tree.rootHash(vector.size2()).base64()).isEqualTo(vector.root2());
        }
    }

    @Test
    void refusesProofsOutsideTheTree() {
        ProofGenerator tree = eightLeafTree();
        assertThatThrownBy(() -> tree.inclusionProof(8, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leafIndex");
        assertThatThrownBy(() -> tree.inclusionProof(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.inclusionProof(0, 9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("treeSize");
        assertThatThrownBy(() -> tree.consistencyProof(0, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size1");
        assertThatThrownBy(() -> tree.consistencyProof(6, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.rootHash(9)).isInstanceOf(IllegalArgumentException.class);
        assertThat(tree.consistencyProof(5, 5)).isEmpty();
    }

    private static ProofGenerator eightLeafTree() {
        InMemoryTreeStore store = new InMemoryTreeStore();
        new TreeAppender(store).appendLeaves(Rfc6962Vectors.leafInputs());
        return new ProofGenerator(store);
    }

    private static List<String> base64(List<Hash> hashes) {
        return hashes.stream().map(Hash::base64).toList();
    }
}
