package dev.svcaccounts.query.verification;

import dev.svcaccounts.events.integrity.Checkpoint;
import dev.svcaccounts.events.integrity.CheckpointKeys;
import dev.svcaccounts.events.integrity.MerkleLog;
import dev.svcaccounts.events.integrity.StoredEvent;
import dev.svcaccounts.query.ReadModelDatabase;
import dev.svcaccounts.query.integrity.MerkleLogStore;
import dev.svcaccounts.query.integrity.TrustedKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each kind of tampering with a real PostgreSQL store is found at its position, and a clean store passes. The log is
 * built here as the appender would (leaves of the stored rows, checkpoints signed over their heads) so that only the
 * verification is under test.
 */
class StoreVerifierIT {

    private static final CheckpointKeys KEYS = CheckpointKeys.generate();

    private final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    private final StoreVerifier verifier = new StoreVerifier(jdbc.getDataSource(), jdbc, new MerkleLogStore(jdbc),
            new DataSourceTransactionManager(jdbc.getDataSource()), 7);
    private final List<long[]> reports = new ArrayList<>();

    @BeforeEach
    void emptyStore() {
        ReadModelDatabase.emptyEventStore();
        jdbc.update("DELETE FROM query_side.audit_verification");
    }

    @Test
    void aCleanStore_passes_everyEventAndCheckpointChecked() {
        store(1, 25);
        log(10, 20, 25);

        StoreVerifier.Outcome outcome = verify();
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.checkedEvents()).isEqualTo(25);
        assertThat(outcome.totalEvents()).isEqualTo(25);
        assertThat(outcome.checkpointsChecked()).isEqualTo(3);
        assertThat(reports.get(0)).containsExactly(0, 25, 0);
    }

    @Test
    void eventsTheLogHasNotReachedYet_areNotFailures() {
        store(1, 10);
        log(10);
        store(11, 5);
        assertThat(verify().failure()).isNull();
        assertThat(verify().checkedEvents()).isEqualTo(10);
    }

    @Test
    void aChangedPayload_isModified_atItsPosition() {
        store(1, 20);
        log(8, 20);
        jdbc.update("UPDATE command_side.domain_event_entry SET payload = convert_to('{\"x\":1}', 'UTF8') "
                + "WHERE global_index = 12");
        assertThat(verify().failure()).extracting(Failure::kind, Failure::leafIndex, Failure::position,
                Failure::treeSize).containsExactly("modified", 11L, 12L, 20L);
    }

    @Test
    void changedMetadata_isModified_andAnEventNoCheckpointCoversYet_hasNoTreeSize() {
        store(1, 20);
        log(8);
        jdbc.update("UPDATE command_side.domain_event_entry SET meta_data = convert_to('{\"actor\":\"x\"}', 'UTF8') "
                + "WHERE global_index = 15");
        assertThat(verify().failure()).extracting(Failure::kind, Failure::leafIndex, Failure::position,
                Failure::treeSize).containsExactly("modified", 14L, 15L, null);
    }

    @Test
    void aDeletedRow_isDeleted() {
        store(1, 20);
        log(20);
        jdbc.update("DELETE FROM command_side.domain_event_entry WHERE global_index = 5");
        assertThat(verify().failure()).extracting(Failure::kind, Failure::leafIndex, Failure::position)
                .containsExactly("deleted", 4L, 5L);
    }

    @Test
    void theNewestRowsDeleted_isTruncated_fromTheFirstMissing() {
        store(1, 20);
        log(10, 20);
        jdbc.update("DELETE FROM command_side.domain_event_entry WHERE global_index > 16");
        Failure failure = verify().failure();
        assertThat(failure).extracting(Failure::kind, Failure::leafIndex, Failure::position, Failure::treeSize)
                .containsExactly("truncated", 16L, 17L, 20L);
        assertThat(failure.detail()).contains("the last 4 of the log's 20 events");
    }

    @Test
    void aRowForgedIntoAHole_isInserted() {
        store(1, 5);
        jdbc.execute("SELECT nextval('command_side.domain_event_entry_global_index_seq')"); // position 6: a hole
        store(7, 5);
        log(10);
        insert(6, "forged");
        Failure failure = verify().failure();
        assertThat(failure).extracting(Failure::kind, Failure::leafIndex, Failure::position, Failure::treeSize)
                .containsExactly("inserted", null, 6L, 10L);
        assertThat(failure.detail()).contains("between the log's positions 5 and 7");
    }

    @Test
    void aLeafDeletedFromTheLogAlone_isLeafMissing_notAnEventInsertedIntoTheStore() {
        store(1, 20);
        log(10, 20);
        jdbc.update("DELETE FROM query_side.merkle_leaf WHERE leaf_index = 6");
        Failure failure = verify().failure();
        assertThat(failure).extracting(Failure::kind, Failure::leafIndex, Failure::position, Failure::treeSize)
                .containsExactly("leaf-missing", 6L, 7L, 10L);
        assertThat(failure.detail()).contains("the log has lost leaf 6: its leaves go from position 6 to position 8")
                .contains("The store still holds the event at position 7");
    }

    @Test
    void leavesDeletedWithTheirRows_areLeafMissing_fromTheFirst() {
        store(1, 20);
        log(10, 20);
        jdbc.update("DELETE FROM query_side.merkle_leaf WHERE leaf_index IN (11, 12)");
        jdbc.update("DELETE FROM command_side.domain_event_entry WHERE global_index IN (12, 13)");
        Failure failure = verify().failure();
        assertThat(failure).extracting(Failure::kind, Failure::leafIndex, Failure::position, Failure::treeSize)
                .containsExactly("leaf-missing", 11L, null, 20L);
        assertThat(failure.detail()).contains("the log has lost 2 leaves, 11 to 12")
                .contains("The store holds no event between them either");
    }

    @Test
    void twoRowsSwapped_isReordered_atTheFirst() {
        store(1, 20);
        log(20);
        jdbc.update("UPDATE command_side.domain_event_entry SET global_index = -global_index "
                + "WHERE global_index IN (7, 13)");
        jdbc.update("UPDATE command_side.domain_event_entry SET global_index = CASE global_index WHEN -7 THEN 13 "
                + "ELSE 7 END WHERE global_index < 0");
        Failure failure = verify().failure();
        assertThat(failure).extracting(Failure::kind, Failure::leafIndex, Failure::position)
                .containsExactly("reordered", 6L, 7L);
        assertThat(failure.detail()).contains("leaf 12 (position 13)");
    }

    @Test
    void aCheckpointWithAnEditedRoot_orAnotherKey_hasABadSignature() {
        store(1, 20);
        log(5, 10, 20);
        jdbc.update("UPDATE query_side.merkle_checkpoint SET root_hash = ? WHERE tree_size = 10",
                (Object) MerkleLog.leafHash(new byte[0]));
        assertThat(verify().failure()).extracting(Failure::kind, Failure::treeSize)
                .containsExactly("bad-signature", 10L);

        jdbc.update("DELETE FROM query_side.merkle_checkpoint");
        Checkpoint other = CheckpointKeys.generate().sign(5, root(5), Instant.parse("2026-12-07T10:00:00Z"));
        saveCheckpoint(other);
        Failure failure = verify().failure();
        assertThat(failure).extracting(Failure::kind, Failure::treeSize).containsExactly("bad-signature", 5L);
        assertThat(failure.detail()).contains("names key " + other.keyId());
    }

    @Test
    void checkpointsOfAReplacedKey_stayGood_whenItIsTrusted_andNoneIsWithoutAnyKey() {
        store(1, 20);
        log(); // the leaves, without checkpoints
        CheckpointKeys earlier = CheckpointKeys.generate();
        saveCheckpoint(earlier.sign(10, root(10), Instant.parse("2026-12-07T09:00:00Z")));
        saveCheckpoint(KEYS.sign(20, root(20), Instant.parse("2026-12-07T10:00:00Z")));
        assertThat(verify().failure()).as("the earlier key is not trusted").extracting(Failure::kind,
                Failure::treeSize).containsExactly("bad-signature", 10L);

        TrustedKeys both = new TrustedKeys(Map.of(KEYS.keyId(), KEYS.publicKey(), earlier.keyId(),
                earlier.publicKey()));
        assertThat(verifier.verify(both, (checked, total, checkpoints) -> { }).failure()).isNull();
        Failure none = verifier.verify(TrustedKeys.NONE, (checked, total, checkpoints) -> { }).failure();
        assertThat(none).extracting(Failure::kind, Failure::treeSize).containsExactly("bad-signature", 10L);
        assertThat(none.detail()).contains("none is configured");
    }

    @Test
    void theStoreAndTheLogEditedAlike_areCaughtByTheSignedRoot() {
        store(1, 30);
        log(10, 20, 30);
        jdbc.update("UPDATE command_side.domain_event_entry SET payload = convert_to('{\"x\":1}', 'UTF8') "
                + "WHERE global_index = 14");
        jdbc.update("UPDATE query_side.merkle_leaf SET leaf_hash = ? WHERE position = 14", (Object) leafHash(14));
        Failure failure = verify().failure();
        assertThat(failure).extracting(Failure::kind, Failure::leafIndex, Failure::position, Failure::treeSize)
                .containsExactly("modified", null, null, 20L);
        assertThat(failure.detail()).contains("the log's own tables were edited too").contains("leaves 10 to 19");
    }

    @Test
    void aCheckpointBeyondTheLog_isTruncated() {
        store(1, 20);
        log(10, 20);
        jdbc.update("DELETE FROM command_side.domain_event_entry WHERE global_index > 15");
        jdbc.update("DELETE FROM query_side.merkle_leaf WHERE position > 15");
        assertThat(verify().failure()).extracting(Failure::kind, Failure::leafIndex, Failure::treeSize)
                .containsExactly("truncated", 15L, 20L);
    }

    private StoreVerifier.Outcome verify() {
        reports.clear();
        return verifier.verify(new TrustedKeys(Map.of(KEYS.keyId(), KEYS.publicKey())),
                (checked, total, checkpoints) -> reports.add(new long[] {checked, total, checkpoints}));
    }

    /** Events at positions from {@code first} on, drawn from the sequence as the command side would. */
    private void store(int first, int count) {
        for (int i = first; i < first + count; i++) {
            jdbc.update("INSERT INTO command_side.domain_event_entry (event_identifier, aggregate_identifier, "
                    + "sequence_number, type, payload_type, time_stamp, payload, meta_data) VALUES (?, 'ws', ?, "
                    + "'Workspace', 'T', '2026-12-07T00:00:00Z', convert_to('{}', 'UTF8'), "
                    + "convert_to('{\"actor\":\"op\"}', 'UTF8'))", "e" + i, i);
        }
    }

    private void insert(long position, String eventId) {
        jdbc.update("INSERT INTO command_side.domain_event_entry (global_index, event_identifier, "
                + "aggregate_identifier, sequence_number, payload_type, time_stamp, payload) VALUES (?, ?, 'ws', ?, "
                + "'T', '2026-12-07T00:00:00Z', convert_to('{}', 'UTF8'))", position, eventId, 1000 + position);
    }

    /** The log of the store as it is now, with checkpoints at these sizes. */
    private void log(long... checkpointSizes) {
        jdbc.update("DELETE FROM query_side.merkle_leaf");
        jdbc.update("DELETE FROM query_side.merkle_checkpoint");
        List<Long> positions = jdbc.queryForList("SELECT global_index FROM command_side.domain_event_entry "
                + "ORDER BY global_index", Long.class);
        for (int i = 0; i < positions.size(); i++) {
            jdbc.update("INSERT INTO query_side.merkle_leaf (leaf_index, position, leaf_hash) VALUES (?, ?, ?)", i,
                    positions.get(i), leafHash(positions.get(i)));
        }
        for (long size : checkpointSizes) {
            saveCheckpoint(KEYS.sign(size, root(size), Instant.parse("2026-12-07T10:00:00Z")));
        }
    }

    private byte[] root(long size) {
        return MerkleLog.root(jdbc.queryForList("SELECT leaf_hash FROM query_side.merkle_leaf ORDER BY leaf_index",
                byte[].class), (int) size);
    }

    private void saveCheckpoint(Checkpoint checkpoint) {
        jdbc.update("INSERT INTO query_side.merkle_checkpoint (tree_size, root_hash, issued_at, key_id, signature) "
                        + "VALUES (?, ?, ?, ?, ?)", checkpoint.treeSize(), checkpoint.rootHash(),
                java.sql.Timestamp.from(checkpoint.issuedAt()), checkpoint.keyId(), checkpoint.signature());
    }

    private byte[] leafHash(long position) {
        return jdbc.queryForObject("SELECT event_identifier, aggregate_identifier, sequence_number, type, "
                + "payload_type, payload_revision, time_stamp, payload, meta_data FROM command_side.domain_event_entry "
                + "WHERE global_index = ?", (rs, i) -> new StoredEvent(rs.getString(1), rs.getString(2), rs.getLong(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getBytes(8), rs.getBytes(9))
                .leafHash(), position);
    }
}
