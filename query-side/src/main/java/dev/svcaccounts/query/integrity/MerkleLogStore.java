package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.Checkpoint;
import dev.svcaccounts.events.integrity.MerkleTree;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Reads the stored Merkle log: its leaves, its tree ({@link MerkleTree}'s heads and proofs over the stored hashes),
 * the hashes of one stored level for the appender's right edge, and its checkpoints.
 */
@Component
public class MerkleLogStore {

    /** A leaf: its place in the log, the event's position in the store, its hash. */
    public record Leaf(long leafIndex, long position, byte[] leafHash) {
    }

    static final int TILE_BITS = 8;

    private static final RowMapper<Checkpoint> CHECKPOINT = (rs, i) -> new Checkpoint(rs.getLong("tree_size"),
            rs.getBytes("root_hash"), rs.getTimestamp("issued_at").toInstant(), rs.getString("key_id"),
            rs.getBytes("signature"));
    private static final String CHECKPOINT_COLUMNS = "tree_size, root_hash, issued_at, key_id, signature";

    private final JdbcTemplate jdbc;

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

    /**
     * The tree as stored: heads and proofs for any size up to {@link #size()}, from the stored hashes read in tiles
     * ({@link ProofTiles}); one tree per request, as its tiles are kept for its life.
     */
    public MerkleTree tree() {
        return new MerkleTree(new ProofTiles(jdbc));
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
