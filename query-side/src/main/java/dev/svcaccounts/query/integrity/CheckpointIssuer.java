package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.Checkpoint;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Signs a checkpoint of the log once it has grown by {@code AUDIT_CHECKPOINT_EVERY_EVENTS} leaves, or once it has
 * grown at all and {@code AUDIT_CHECKPOINT_INTERVAL} has passed since the last one. Runs in the appender's transaction
 * under its lock, so one node signs at a time and a checkpoint never covers a leaf that was not committed.
 */
@Component
class CheckpointIssuer implements LogHeadListener {

    private final JdbcTemplate jdbc;
    private final MerkleLogStore store;
    private final SigningKey key;
    private final Clock clock;
    private final long everyEvents;
    private final Duration interval;

    CheckpointIssuer(JdbcTemplate jdbc, MerkleLogStore store, SigningKey key, Clock clock,
                     @Value("${svcaccounts.audit.checkpoint-every-events:1000}") long everyEvents,
                     @Value("${svcaccounts.audit.checkpoint-interval:10s}") Duration interval) {
        this.jdbc = jdbc;
        this.store = store;
        this.key = key;
        this.clock = clock;
        this.everyEvents = everyEvents;
        this.interval = interval;
    }

    @Override
    public void appended(long treeSize, byte[] rootHash) {
        if (!key.configured() || treeSize == 0) {
            return;
        }
        Instant now = clock.instant();
        Optional<Checkpoint> last = store.latestCheckpoint();
        if (last.isPresent()) {
            Checkpoint previous = last.get();
            boolean grown = treeSize > previous.treeSize();
            boolean due = treeSize - previous.treeSize() >= everyEvents
                    || !now.isBefore(previous.issuedAt().plus(interval));
            if (!grown || !due) {
                return;
            }
        }
        Checkpoint checkpoint = key.sign(treeSize, rootHash, now);
        jdbc.update("INSERT INTO query_side.merkle_checkpoint (tree_size, root_hash, issued_at, key_id, signature) "
                        + "VALUES (?, ?, ?, ?, ?)", checkpoint.treeSize(), checkpoint.rootHash(),
                Timestamp.from(checkpoint.issuedAt()), checkpoint.keyId(), checkpoint.signature());
    }
}
