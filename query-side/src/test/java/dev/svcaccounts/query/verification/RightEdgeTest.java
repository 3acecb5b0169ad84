package dev.svcaccounts.query.verification;

import dev.svcaccounts.events.integrity.MerkleLog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RightEdgeTest {

    @Test
    void theRootAfterEachLeaf_isRfc9162sHeadOfTheLeavesSoFar() {
        List<byte[]> leaves = new ArrayList<>();
        RightEdge edge = new RightEdge();
        assertThat(edge.root()).isEqualTo(MerkleLog.emptyRoot());
        for (int i = 0; i < 300; i++) {
            byte[] leaf = MerkleLog.leafHash(new byte[] {(byte) i, (byte) (i >> 8)});
            leaves.add(leaf);
            edge.append(leaf);
            assertThat(edge.size()).isEqualTo(i + 1);
            assertThat(MerkleLog.hex(edge.root())).as("root of %d leaves", i + 1)
                    .isEqualTo(MerkleLog.hex(MerkleLog.root(leaves, i + 1)));
        }
    }
}
