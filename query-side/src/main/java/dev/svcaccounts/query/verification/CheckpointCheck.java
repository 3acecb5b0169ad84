package dev.svcaccounts.query.verification;

import dev.svcaccounts.events.integrity.Checkpoint;
import dev.svcaccounts.events.integrity.CheckpointKeys;
import dev.svcaccounts.events.integrity.MerkleLog;
import dev.svcaccounts.query.integrity.MerkleLogStore;
import dev.svcaccounts.query.integrity.TrustedKeys;
import org.springframework.jdbc.core.JdbcTemplate;

import java.security.PublicKey;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Walks the signed checkpoints in tree-size order beside the store's leaves: when the tree of the store's first
 * leaves reaches a checkpoint's size, its signature (by a trusted key) and its root are checked. Checkpoints
 * are read a page at a time, in the verification's transaction.
 */
final class CheckpointCheck {

    private static final int PAGE = 500;

    private final JdbcTemplate jdbc;
    private final MerkleLogStore store;
    private final TrustedKeys keys;
    private final Deque<Checkpoint> page = new ArrayDeque<>();
    private long lastLoaded = -1;
    private boolean allLoaded;
    private long checked;
    /** The size of the last checkpoint whose root matched: an edit of the log's own tables lies after it. */
    private long lastGood;

    CheckpointCheck(JdbcTemplate jdbc, MerkleLogStore store, TrustedKeys keys) {
        this.jdbc = jdbc;
        this.store = store;
        this.keys = keys;
    }

    long checked() {
        return checked;
    }

    /** Checks the checkpoints of the edge's size; the first failure, or null. */
    Failure reached(RightEdge edge) {
        Checkpoint next = peek();
        if (next == null || next.treeSize() != edge.size()) {
            return null;
        }
        page.poll();
        Optional<PublicKey> signer = keys.forKeyId(next.keyId());
        if (signer.isEmpty()) {
            return new Failure(Failure.BAD_SIGNATURE, null, null, next.treeSize(), "checkpoint " + next.treeSize()
                    + " names key " + next.keyId() + ", which is not a trusted key ("
                    + (keys.isEmpty() ? "none is configured: AUDIT_SIGNING_KEY_FILE" : keys.ids()
                    + ": the signing key and AUDIT_TRUSTED_PUBLIC_KEYS") + ")");
        }
        if (!CheckpointKeys.verify(next, signer.get())) {
            return new Failure(Failure.BAD_SIGNATURE, null, null, next.treeSize(), "checkpoint " + next.treeSize()
                    + " does not carry a valid signature of its text by key " + next.keyId());
        }
        if (!Arrays.equals(edge.root(), next.rootHash())) {
            return new Failure(Failure.MODIFIED, null, null, next.treeSize(), "the first " + next.treeSize()
                    + " events of the store do not give checkpoint " + next.treeSize() + "'s root "
                    + MerkleLog.hex(next.rootHash()) + ", though each matches its leaf in the log: the log's own tables"
                    + " were edited too, somewhere in leaves " + lastGood + " to " + (next.treeSize() - 1));
        }
        lastGood = next.treeSize();
        checked++;
        return null;
    }

    /** After the store's last leaf: a checkpoint beyond it covers events the store no longer holds. */
    Failure beyond(long storeLeaves) {
        Checkpoint next = peek();
        if (next == null) {
            return null;
        }
        return new Failure(Failure.TRUNCATED, storeLeaves, null, next.treeSize(), "checkpoint " + next.treeSize()
                + " covers " + next.treeSize() + " events, the store holds " + storeLeaves + " (up to the log's end)");
    }

    /** The smallest checkpoint that covers leaf {@code leafIndex}, or null. */
    Long covering(long leafIndex) {
        List<Long> sizes = jdbc.queryForList("SELECT min(tree_size) FROM query_side.merkle_checkpoint "
                + "WHERE tree_size > ?", Long.class, leafIndex);
        return sizes.isEmpty() ? null : sizes.get(0);
    }

    private Checkpoint peek() {
        if (page.isEmpty() && !allLoaded) {
            List<Checkpoint> more = store.checkpointsAfter(lastLoaded, PAGE);
            page.addAll(more);
            allLoaded = more.size() < PAGE;
            if (!more.isEmpty()) {
                lastLoaded = more.get(more.size() - 1).treeSize();
            }
        }
        return page.peek();
    }
}
