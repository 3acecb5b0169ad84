package dev.svcaccounts.events.integrity;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162's tree heads and proofs for a log of any size, computed from the hashes of its complete subtrees: the
 * subtree of 2^level leaves starting at leaf {@code index * 2^level}. Every node of an RFC 9162 tree is either such a
 * subtree or a right edge made of them (one per bit of its width), so a store that can give those hashes can prove
 * anything without holding the leaves in memory. {@link MerkleLog} is the in-memory reference it is tested against.
 */
public final class MerkleTree {

    /** The hash of the complete subtree of {@code 2^level} leaves starting at leaf {@code index << level}. */
    @FunctionalInterface
    public interface CompleteSubtrees {
        byte[] hash(int level, long index);
    }

    private final CompleteSubtrees subtrees;

    public MerkleTree(CompleteSubtrees subtrees) {
        this.subtrees = subtrees;
    }

    /** MTH(D[0:size]). */
    public byte[] root(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("a tree of " + size);
        }
        return size == 0 ? MerkleLog.emptyRoot() : range(0, size);
    }

    /** PATH(index, D[0:size]). */
    public List<byte[]> inclusionProof(long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, size, proof);
        return proof;
    }

    /** PROOF(first, D[0:second]). */
    public List<byte[]> consistencyProof(long first, long second) {
        if (first < 1 || first > second) {
            throw new IllegalArgumentException("no consistency proof from " + first + " to " + second);
        }
        List<byte[]> proof = new ArrayList<>();
        if (first < second) {
            subproof(first, 0, second, true, proof);
        }
        return proof;
    }

    /** MTH(D[from:to]) where {@code from} is a multiple of a power of two at least {@code to - from}. */
    byte[] range(long from, long to) {
        long width = to - from;
        int level = 63 - Long.numberOfLeadingZeros(width);
        long chunk = 1L << level;
        byte[] left = subtrees.hash(level, from >> level);
        return width == chunk ? left : MerkleLog.nodeHash(left, range(from + chunk, to));
    }

    private void path(long m, long from, long to, List<byte[]> proof) {
        long n = to - from;
        if (n == 1) {
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(m, from, from + k, proof);
            proof.add(range(from + k, to));
        } else {
            path(m - k, from + k, to, proof);
            proof.add(range(from, from + k));
        }
    }

    private void subproof(long m, long from, long to, boolean complete, List<byte[]> proof) {
        long n = to - from;
        if (m == n) {
            if (!complete) {
                proof.add(range(from, to));
            }
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(m, from, from + k, complete, proof);
            proof.add(range(from + k, to));
        } else {
            subproof(m - k, from + k, to, false, proof);
            proof.add(range(from, from + k));
        }
    }

    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    /** The hash of a perfect tree over {@code hashes} (a power of two of them), hashed pairwise level by level. */
    public static byte[] perfect(List<byte[]> hashes) {
        List<byte[]> level = hashes;
        while (level.size() > 1) {
            List<byte[]> up = new ArrayList<>(level.size() / 2);
            for (int i = 0; i + 1 < level.size(); i += 2) {
                up.add(MerkleLog.nodeHash(level.get(i), level.get(i + 1)));
            }
            level = up;
        }
        return level.get(0);
    }
}
