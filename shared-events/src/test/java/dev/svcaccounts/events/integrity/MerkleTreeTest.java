package dev.svcaccounts.events.integrity;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.svcaccounts.events.integrity.MerkleLog.hex;
import static org.assertj.core.api.Assertions.assertThat;

/** The tree over complete subtrees gives exactly what the in-memory reference gives, on every shape up to 70 leaves. */
class MerkleTreeTest {

    private static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(MerkleLog.leafHash(new byte[] {(byte) i, (byte) (i * 13)}));
        }
        return leaves;
    }

    /** Complete subtrees computed from the leaves, as a store would give them. */
    private static MerkleTree over(List<byte[]> leaves) {
        return new MerkleTree((level, index) -> {
            long from = index << level;
            long to = from + (1L << level);
            assertThat(to).as("a complete subtree lies inside the log").isLessThanOrEqualTo(leaves.size());
            return MerkleTree.perfect(leaves.subList((int) from, (int) to));
        });
    }

    @Test
    void rootsInclusionAndConsistency_equalTheReference() {
        List<byte[]> leaves = leaves(70);
        MerkleTree tree = over(leaves);
        for (int size = 0; size <= 70; size++) {
            assertThat(hex(tree.root(size))).as("root " + size).isEqualTo(hex(MerkleLog.root(leaves, size)));
            for (int index = 0; index < size; index++) {
                List<byte[]> proof = tree.inclusionProof(index, size);
                assertThat(proof).map(MerkleLog::hex).as("path %d of %d", index, size)
                        .containsExactlyElementsOf(MerkleLog.inclusionProof(leaves, index, size).stream()
                                .map(MerkleLog::hex).toList());
                assertThat(MerkleLog.verifyInclusion(index, size, leaves.get(index), proof, tree.root(size))).isTrue();
            }
            for (int first = 1; first <= size; first++) {
                List<byte[]> proof = tree.consistencyProof(first, size);
                assertThat(proof).map(MerkleLog::hex).as("consistency %d to %d", first, size)
                        .containsExactlyElementsOf(MerkleLog.consistencyProof(leaves, first, size).stream()
                                .map(MerkleLog::hex).toList());
                assertThat(MerkleLog.verifyConsistency(first, size, tree.root(first), tree.root(size), proof))
                        .isTrue();
            }
        }
    }

    @Test
    void aPerfectTreeOfOne_isItsLeaf() {
        byte[] leaf = MerkleLog.leafHash(new byte[] {1});
        assertThat(MerkleTree.perfect(List.of(leaf))).isEqualTo(leaf);
    }
}
