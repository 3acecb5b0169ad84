package dev.svcaccounts.query.verification;

import dev.svcaccounts.events.integrity.MerkleLog;

/**
 * The right edge of a Merkle tree being built leaf by leaf: one perfect subtree per set bit of its size, at most 64
 * hashes whatever the size, from which RFC 9162's head of the tree so far follows. What a verification keeps of the
 * store's leaves instead of the leaves themselves.
 */
final class RightEdge {

    /** {@code subtrees[level]}: the perfect subtree of 2^level leaves when bit {@code level} of the size is set. */
    private final byte[][] subtrees = new byte[64][];
    private long size;

    long size() {
        return size;
    }

    void append(byte[] leafHash) {
        byte[] hash = leafHash;
        int level = 0;
        while ((size >>> level & 1) == 1) {
            hash = MerkleLog.nodeHash(subtrees[level], hash);
            subtrees[level] = null;
            level++;
        }
        subtrees[level] = hash;
        size++;
    }

    /** MTH of the leaves appended so far: the subtrees joined from the smallest, each new one on the left. */
    byte[] root() {
        byte[] root = null;
        for (int level = 0; level < 64; level++) {
            if ((size >>> level & 1) == 1) {
                root = root == null ? subtrees[level] : MerkleLog.nodeHash(subtrees[level], root);
            }
        }
        return root == null ? MerkleLog.emptyRoot() : root;
    }
}
