package dev.svcaccounts.query.verification;

import dev.svcaccounts.events.integrity.MerkleLog;
import dev.svcaccounts.query.verification.StoreVerifier.Leaf;
import dev.svcaccounts.query.verification.StoreVerifier.Row;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Optional;

/**
 * Names the first disagreement between the store and the log. Only then is a hash looked up among all the stored
 * leaves (one query, no index needed): a row whose hash is another leaf's holds an event the log has elsewhere.
 */
final class Classifier {

    private final JdbcTemplate jdbc;
    private final CheckpointCheck checkpoints;

    Classifier(JdbcTemplate jdbc, CheckpointCheck checkpoints) {
        this.jdbc = jdbc;
        this.checkpoints = checkpoints;
    }

    /** The log has {@code leaf}; the store has no row at its position. */
    Failure missing(Leaf leaf, boolean storeEnded, long logSize) {
        Long treeSize = checkpoints.covering(leaf.leafIndex());
        if (storeEnded) {
            return new Failure(Failure.TRUNCATED, leaf.leafIndex(), leaf.position(), treeSize, "the store ends before "
                    + "the log does: the last " + (logSize - leaf.leafIndex()) + " of the log's " + logSize
                    + " events are not in the store, from leaf " + leaf.leafIndex() + " (position " + leaf.position()
                    + ") on");
        }
        return new Failure(Failure.DELETED, leaf.leafIndex(), leaf.position(), treeSize, "the store holds no event at"
                + " position " + leaf.position() + ", where the log has leaf " + leaf.leafIndex()
                + ", while later events remain");
    }

    /**
     * The log's leaves jump from {@code expected - 1} to {@code next}: rows of the log's own table were deleted (its
     * leaf indexes have no holes by construction). {@code row} is the store's next row, which may lie between them.
     */
    Failure leavesMissing(long expected, long previous, Leaf next, Row row) {
        long missing = next.leafIndex() - expected;
        String leaves = missing == 1 ? "leaf " + expected : missing + " leaves, " + expected + " to "
                + (next.leafIndex() - 1);
        boolean storeHasRow = row != null && row.position() < next.position();
        return new Failure(Failure.LEAF_MISSING, expected, storeHasRow ? row.position() : null,
                checkpoints.covering(expected), "the log has lost " + leaves + ": its leaves go from position "
                + (previous < 0 ? "(start)" : previous) + " to position " + next.position() + " (leaf "
                + next.leafIndex() + "). " + (storeHasRow ? "The store still holds the event at position "
                + row.position() + " between them: the log's own table was edited, which the signed checkpoint "
                + "covering it, if any, would also show" : "The store holds no event between them either"));
    }

    /**
     * The store has {@code row} at a position the log has no leaf for, between the leaf at {@code previous} and
     * {@code next} (null: the log's end).
     */
    Failure unlogged(Row row, long previous, Leaf next) {
        Long treeSize = next == null ? null : checkpoints.covering(next.leafIndex());
        Optional<Leaf> elsewhere = leafWithHash(row.leafHash());
        if (elsewhere.isPresent()) {
            return new Failure(Failure.REORDERED, elsewhere.get().leafIndex(), row.position(), treeSize,
                    "position " + row.position() + " holds the event of leaf " + elsewhere.get().leafIndex()
                    + ", which the log has at position " + elsewhere.get().position());
        }
        return new Failure(Failure.INSERTED, null, row.position(), treeSize, "position " + row.position()
                + " holds an event the log never had, between the log's positions "
                + (previous < 0 ? "(start)" : previous) + " and " + (next == null ? "(end)" : next.position())
                + ": a row was added after its place had been settled");
    }

    /** The store's row at the leaf's position hashes differently. */
    Failure changed(Row row, Leaf leaf) {
        Long treeSize = checkpoints.covering(leaf.leafIndex());
        Optional<Leaf> elsewhere = leafWithHash(row.leafHash());
        if (elsewhere.isPresent()) {
            return new Failure(Failure.REORDERED, leaf.leafIndex(), row.position(), treeSize,
                    "position " + row.position() + " holds the event of leaf " + elsewhere.get().leafIndex()
                    + " (position " + elsewhere.get().position() + ") instead of its own, leaf " + leaf.leafIndex());
        }
        return new Failure(Failure.MODIFIED, leaf.leafIndex(), row.position(), treeSize, "the event at position "
                + row.position() + " is not the one the log recorded as leaf " + leaf.leafIndex() + ": it hashes to "
                + MerkleLog.hex(row.leafHash()) + ", the leaf is " + MerkleLog.hex(leaf.leafHash()));
    }

    private Optional<Leaf> leafWithHash(byte[] hash) {
        return jdbc.query("SELECT leaf_index, position, leaf_hash FROM query_side.merkle_leaf WHERE leaf_hash = ? "
                        + "LIMIT 1", (rs, i) -> new Leaf(rs.getLong(1), rs.getLong(2), rs.getBytes(3)), hash)
                .stream().findFirst();
    }
}
