package org.salesledger.audit.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.hash.MerkleHashes;
import org.junit.jupiter.api.Test;

/** How the tree is kept: perfect subtrees written once, a few of them read per proof, one writer. */
class TreeStorageTest {

    @Test
    void aResumedAppenderContinuesTheSameTree() {
        List<byte[]> leaves = leaves(1000);
        InMemoryTreeStore once = new InMemoryTreeStore();
        new TreeAppender(once).appendLeaves(leaves);

        InMemoryTreeStore resumed = new InMemoryTreeStore();
        new TreeAppender(resumed).appendLeaves(leaves.subList(0, 613));
        new TreeAppender(resumed).appendLeaves(leaves.subList(613, 1000)); // a new appender reads the border

        for (int level = 0; level < 10; level++) {
            List<NodeId> all = new ArrayList<>();
            for (long index = 0; index < 1000 >> level; index++) {
                all.add(new NodeId(level, index));
            }
            assertThat(resumed.read(all)).as("level %d", level).isEqualTo(once.read(all));
        }
        assertThat(new ProofGenerator(resumed).rootHash(1000)).isEqualTo(new ProofGenerator(once).rootHash(1000));
    }

    @Test
    void aSecondWriterIsRefusedAndTheFirstKeepsItsState() {
        InMemoryTreeStore store = new InMemoryTreeStore();
        TreeAppender first = new TreeAppender(store);
        TreeAppender second = new TreeAppender(store);
        first.appendLeaves(leaves(3));

        assertThatThrownBy(() -> second.appendLeaves(leaves(2))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the tree has 3 leaves, the writer expected 0");
        assertThat(second.size()).isZero();
        assertThat(store.size()).isEqualTo(3);
        assertThat(first.appendLeaves(leaves(1))).isEqualTo(4);
    }

    @Test
    void theMemoryStoreRefusesAWriteThatIsNotTheNextPartOfTheTree() {
        InMemoryTreeStore store = new InMemoryTreeStore();
        Hash a = MerkleHashes.leaf(new byte[] {1});
        Hash b = MerkleHashes.leaf(new byte[] {2});
        assertThatThrownBy(() -> store.write(0, 1, List.of(new StoredNode(new NodeId(0, 1), a))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expects index 0");
        assertThatThrownBy(() -> store.write(0, 2, List.of(new StoredNode(new NodeId(0, 0), a),
                new StoredNode(new NodeId(0, 1), b))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("level 1");
        assertThat(store.size()).isZero();
        assertThatThrownBy(() -> store.read(List.of(new NodeId(0, 0)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not stored");
    }

    /**
     * At ten million leaves (and at 2^40 + 12,345) a root or a proof is one read of at most 2·⌈log2 n⌉ stored nodes:
     * checked on a store that makes up a hash for any complete subtree and counts what is asked.
     */
    @Test
    void aProofInAHugeTreeIsOneReadOfLogarithmicallyManyNodes() {
        for (long size : new long[] {10_000_000L, (1L << 40) + 12_345}) {
            CountingStore store = new CountingStore(size);
            ProofGenerator tree = new ProofGenerator(store);
            int bound = 2 * (64 - Long.numberOfLeadingZeros(size - 1));
            Random random = new Random(size);
            for (int round = 0; round < 50; round++) {
                long index = Math.floorMod(random.nextLong(), size);
                long size1 = 1 + Math.floorMod(random.nextLong(), size);

                store.reset();
                assertThat(tree.inclusionProof(index, size)).hasSizeLessThanOrEqualTo(bound / 2);
                assertThat(store.calls).as("reads for inclusion of %d in %d", index, size).isEqualTo(1);
                assertThat(store.nodes).isLessThanOrEqualTo(bound);

                store.reset();
                tree.consistencyProof(size1, size);
                assertThat(store.calls).isEqualTo(1);
                assertThat(store.nodes).as("nodes for consistency %d to %d", size1, size).isLessThanOrEqualTo(bound);
            }
            store.reset();
            tree.rootHash(size);
            assertThat(store.nodes).isEqualTo(Long.bitCount(size));
        }
    }

    /** A store of {@code size} leaves whose node hashes are made up from their ids; counts the reads. */
    private static final class CountingStore implements TreeStore {
        private final long size;
        int calls;
        int nodes;

        CountingStore(long size) {
            this.size = size;
        }

        void reset() {
            calls = 0;
            nodes = 0;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public List<Hash> read(List<NodeId> ids) {
            calls++;
            nodes += ids.size();
            List<Hash> hashes = new ArrayList<>();
            for (NodeId id : ids) {
                if (id.end() > size) {
                    throw new IllegalArgumentException(id + " is not complete in a tree of " + size);
                }
                try {
                    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                    sha256.update(ByteBuffer.allocate(12).putInt(id.level()).putLong(id.index()).array());
                    hashes.add(Hash.of(sha256.digest()));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            return hashes;
        }

        @Override
        public void write(long expectedSize, long newSize, List<StoredNode> nodes) {
            throw new UnsupportedOperationException();
        }
    }

    private static List<byte[]> leaves(int count) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leaves.add(("leaf " + i).getBytes());
        }
        return leaves;
    }
}
