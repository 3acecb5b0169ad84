package dev.svcaccounts.events.integrity;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.svcaccounts.events.integrity.MerkleLog.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Merkle log's hashing against the reference vectors of RFC 6962 / 9162 (Certificate Transparency's own tests):
 * a log that no other implementation agrees with proves nothing to an auditor.
 */
class MerkleLogTest {

    private static final List<String> LEAVES = List.of("", "00", "10", "2021", "3031", "40414243",
            "5051525354555657", "606162636465666768696a6b6c6d6e6f");
    private static final List<String> ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    private static List<byte[]> referenceLeaves() {
        return LEAVES.stream().map(leaf -> MerkleLog.leafHash(unhex(leaf))).toList();
    }

    private static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(MerkleLog.leafHash(new byte[] {(byte) i, (byte) (i * 7)}));
        }
        return leaves;
    }

    @Test
    void theTreeHeadOfEverySize_isTheReferences() {
        List<byte[]> leaves = referenceLeaves();
        for (int size = 0; size <= 8; size++) {
            assertThat(hex(MerkleLog.root(leaves, size))).as("size " + size).isEqualTo(ROOTS.get(size));
        }
    }

    @Test
    void inclusionProofs_areTheReferences() {
        List<byte[]> leaves = referenceLeaves();
        assertThat(MerkleLog.inclusionProof(leaves, 0, 8)).map(MerkleLog::hex).containsExactly(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(MerkleLog.inclusionProof(leaves, 5, 8)).map(MerkleLog::hex).containsExactly(
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    }

    @Test
    void everyLeafsInclusion_verifies_inEveryTreeSize_andATamperedOneDoesNot() {
        List<byte[]> leaves = leaves(37);
        for (int size = 1; size <= leaves.size(); size++) {
            byte[] root = MerkleLog.root(leaves, size);
            for (int index = 0; index < size; index++) {
                List<byte[]> proof = MerkleLog.inclusionProof(leaves, index, size);
                assertThat(MerkleLog.verifyInclusion(index, size, leaves.get(index), proof, root))
                        .as("leaf %d of %d", index, size).isTrue();
                byte[] other = leaves.get((index + 1) % leaves.size());
                assertThat(MerkleLog.verifyInclusion(index, size, other, proof, root)).isFalse();
                if (size > 1) {
                    assertThat(MerkleLog.verifyInclusion((index + 1) % size, size, leaves.get(index), proof, root))
                            .as("another position").isFalse();
                }
            }
            assertThat(MerkleLog.verifyInclusion(size, size, leaves.get(0), List.of(), root)).isFalse();
        }
    }

    @Test
    void everyConsistency_verifies_andATamperedPrefixDoesNot() {
        List<byte[]> leaves = leaves(37);
        for (int second = 1; second <= leaves.size(); second++) {
            byte[] secondRoot = MerkleLog.root(leaves, second);
            for (int first = 1; first <= second; first++) {
                byte[] firstRoot = MerkleLog.root(leaves, first);
                List<byte[]> proof = MerkleLog.consistencyProof(leaves, first, second);
                assertThat(MerkleLog.verifyConsistency(first, second, firstRoot, secondRoot, proof))
                        .as("%d to %d", first, second).isTrue();
                if (first < second) {
                    List<byte[]> rewritten = new ArrayList<>(leaves);
                    rewritten.set(first - 1, MerkleLog.leafHash(new byte[] {42}));
                    byte[] forgedFirst = MerkleLog.root(rewritten, first);
                    assertThat(MerkleLog.verifyConsistency(first, second, forgedFirst, secondRoot, proof))
                            .as("a rewritten history, %d to %d", first, second).isFalse();
                }
            }
        }
    }

    @Test
    void aReferenceConsistencyProof_verifies() {
        List<byte[]> leaves = referenceLeaves();
        List<byte[]> proof = MerkleLog.consistencyProof(leaves, 1, 8);
        assertThat(proof).map(MerkleLog::hex).containsExactly(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(MerkleLog.verifyConsistency(1, 8, unhex(ROOTS.get(1)), unhex(ROOTS.get(8)), proof)).isTrue();
    }

    private static byte[] unhex(String text) {
        byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
