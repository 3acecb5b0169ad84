package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.Checkpoint;
import dev.svcaccounts.events.integrity.MerkleTree;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the stored Merkle log: its leaves, the hash of any complete subtree (for {@link MerkleTree}'s heads and
 * proofs), and its checkpoints. Complete subtrees at level 8 and above never change once written, so their hashes are
 * kept in memory (a few thousand of them cover any log we serve).
 */
@Component
public class MerkleLogStore {

    /** A leaf: its place in the log, the event's position in the store, its hash. */
    public record Leaf(long leafIndex, long position, byte[] leafHash) {
    }

    static final int TILE_BITS = 8;
    private static final int CACHED_SUBTREES = 20_000;

    private static final RowMapper<Checkpoint> CHECKPOINT = (rs, i) -> new Checkpoint(rs.getLong("tree_size"),
            rs.getBytes("root_hash"), rs.getTimestamp("issued_at").toInstant(), rs.getString("key_id"),
            rs.getBytes("signature"));
    private static final String CHECKPOINT_COLUMNS = "tree_size, root_hash, issued_at, key_id, signature";

    private final JdbcTemplate jdbc;
    private final Map<Long, byte[]> subtrees = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > CACHED_SUBTREES;
        }
    });

    public MerkleLogStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The number of leaves. */
    public long size() {
        Long last = jdbc.queryForObject("SELECT max(leaf_index) FROM query_side.merkle_leaf", Long.class);
        return last == null ? 0 : last + 1;
    }

    public Optional<Leaf> leafAtPosition(long position) {
        return jdbc.query("SELECT leaf_index, position, leaf_hash FROM query_side.merkle_leaf WHERE position = ?",
                (rs, i) -> new Leaf(rs.getLong(1), rs.getLong(2), rs.getBytes(3)), position).stream().findFirst();
    }

    public Optional<Leaf> leafAt(long leafIndex) {
        return jdbc.query("SELECT leaf_index, position, leaf_hash FROM query_side.merkle_leaf WHERE leaf_index = ?",
                (rs, i) -> new Leaf(rs.getLong(1), rs.getLong(2), rs.getBytes(3)), leafIndex).stream().findFirst();
    }

    /** The tree as stored: heads and proofs for any size up to {@link #size()}. */
    public MerkleTree tree() {
        return new MerkleTree(this::completeSubtree);
    }

    /** The hash of the complete subtree of 2^level leaves starting at leaf {@code index << level}. */
    public byte[] completeSubtree(int level, long index) {
        int base = level - level % TILE_BITS;
        int width = 1 << (level - base);
        if (base == 0) {
            return MerkleTree.perfect(hashes(0, index * width, width));
        }
        long key = ((long) level << 56) | index;
        byte[] cached = subtrees.get(key);
        if (cached == null) {
            cached = MerkleTree.perfect(hashes(base, index * width, width));
            subtrees.put(key, cached);
        }
        return cached;
    }

    /**
     * {@code count} stored hashes at a stored level (0: the leaves; 8, 16...: merkle_subtree) from index {@code from}.
     *
     * @throws IllegalStateException when the log does not hold all of them
     */
    List<byte[]> hashes(int level, long from, int count) {
        List<byte[]> hashes = level == 0
                ? jdbc.query("SELECT leaf_hash FROM query_side.merkle_leaf WHERE leaf_index >= ? AND leaf_index < ? "
                        + "ORDER BY leaf_index", (rs, i) -> rs.getBytes(1), from, from + count)
                : jdbc.query("SELECT hash FROM query_side.merkle_subtree WHERE level = ? AND idx >= ? AND idx < ? "
                        + "ORDER BY idx", (rs, i) -> rs.getBytes(1), level, from, from + count);
        if (hashes.size() != count) {
            throw new IllegalStateException("the Merkle log lacks hashes at level " + level + " from " + from
                    + ": " + hashes.size() + " of " + count);
        }
        return hashes;
    }

    public Optional<Checkpoint> latestCheckpoint() {
        return jdbc.query("SELECT " + CHECKPOINT_COLUMNS + " FROM query_side.merkle_checkpoint "
                + "ORDER BY tree_size DESC LIMIT 1", CHECKPOINT).stream().findFirst();
    }

    public Optional<Checkpoint> checkpoint(long treeSize) {
        return jdbc.query("SELECT " + CHECKPOINT_COLUMNS + " FROM query_side.merkle_checkpoint WHERE tree_size = ?",
                CHECKPOINT, treeSize).stream().findFirst();
    }

    /** Checkpoints with a tree size above {@code treeSize}, smallest first. */
    public List<Checkpoint> checkpointsAfter(long treeSize, int limit) {
        return jdbc.query("SELECT " + CHECKPOINT_COLUMNS + " FROM query_side.merkle_checkpoint WHERE tree_size > ? "
                + "ORDER BY tree_size LIMIT ?", CHECKPOINT, treeSize, limit);
    }
}
