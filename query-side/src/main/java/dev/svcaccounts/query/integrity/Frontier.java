package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.MerkleLog;
import dev.svcaccounts.events.integrity.MerkleTree;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of the log as the appender keeps it in memory: for each stored level (leaves, 8, 16...) the hashes of
 * the block of 256 not complete yet. Appending a leaf may complete blocks, which become stored subtrees; the head of
 * the whole log is computed from these lists alone, with no reads.
 */
final class Frontier {

    /** A complete subtree to store: level 8, 16... */
    record Subtree(int level, long index, byte[] hash) {
    }

    private static final int BLOCK = 1 << MerkleLogStore.TILE_BITS;

    private final List<List<byte[]>> pending = new ArrayList<>();
    private long size;

    private Frontier(long size) {
        this.size = size;
    }

    /** The right edge of a stored log of {@code size} leaves. */
    static Frontier load(MerkleLogStore store, long size) {
        Frontier frontier = new Frontier(size);
        for (int level = 0; (size >> level) > 0; level += MerkleLogStore.TILE_BITS) {
            long count = size >> level;
            int inBlock = (int) (count % BLOCK);
            frontier.pending.add(new ArrayList<>(inBlock == 0 ? List.of()
                    : store.hashes(level, count - inBlock, inBlock)));
        }
        return frontier;
    }

    long size() {
        return size;
    }

    /** Appends a leaf; returns the subtrees it completed, lowest first. */
    List<Subtree> append(byte[] leafHash) {
        size++;
        List<Subtree> completed = new ArrayList<>(0);
        byte[] hash = leafHash;
        for (int q = 0; ; q++) {
            if (pending.size() == q) {
                pending.add(new ArrayList<>());
            }
            List<byte[]> block = pending.get(q);
            block.add(hash);
            if (block.size() < BLOCK) {
                return completed;
            }
            hash = MerkleTree.perfect(block);
            block.clear();
            int level = (q + 1) * MerkleLogStore.TILE_BITS;
            completed.add(new Subtree(level, (size >> level) - 1, hash));
        }
    }

    /** MTH of the whole log: its complete subtrees from the left, each chunk of a block by the bits of its count. */
    byte[] root() {
        if (size == 0) {
            return MerkleLog.emptyRoot();
        }
        List<byte[]> chunks = new ArrayList<>();
        for (int q = pending.size() - 1; q >= 0; q--) {
            List<byte[]> block = pending.get(q);
            int from = 0;
            for (int bit = Integer.highestOneBit(Math.max(block.size(), 1)); bit > 0; bit >>= 1) {
                if ((block.size() & bit) != 0) {
                    chunks.add(MerkleTree.perfect(block.subList(from, from + bit)));
                    from += bit;
                }
            }
        }
        byte[] root = chunks.get(chunks.size() - 1);
        for (int i = chunks.size() - 2; i >= 0; i--) {
            root = MerkleLog.nodeHash(chunks.get(i), root);
        }
        return root;
    }
}
