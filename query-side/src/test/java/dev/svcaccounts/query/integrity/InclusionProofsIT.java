package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.Checkpoint;
import dev.svcaccounts.events.integrity.CheckpointKeys;
import dev.svcaccounts.events.integrity.MerkleLog;
import dev.svcaccounts.events.integrity.StoredEvent;
import dev.svcaccounts.query.CountingDataSource;
import dev.svcaccounts.query.ReadModelDatabase;
import dev.svcaccounts.refusals.DomainRuleException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proofs of audit entries against checkpoints, from the stored log: every proof verifies with RFC 9162's check against
 * the signed root, its event is the row as stored now (so a changed row no longer hashes to its leaf), and a page of
 * proofs costs a handful of queries.
 */
class InclusionProofsIT {

    private static final Base64.Decoder BASE64 = Base64.getDecoder();

    /** One connection for the test, as a pool would hold it: the embedded database's own opens one per statement. */
    private final CountingDataSource counting = new CountingDataSource(new SingleConnectionDataSource(
            DataSourceUtils.getConnection(ReadModelDatabase.jdbc().getDataSource()), true));
    private final JdbcTemplate jdbc = new JdbcTemplate(counting);
    private final CheckpointKeys keys = CheckpointKeys.generate();
    private MerkleLogStore store;
    private InclusionProofs proofs;

    @AfterEach
    void closeConnection() {
        ((SingleConnectionDataSource) counting.getTargetDataSource()).destroy();
    }

    @BeforeEach
    void emptyStore() {
        ReadModelDatabase.emptyEventStore();
        store = new MerkleLogStore(jdbc);
        proofs = new InclusionProofs(jdbc, store, new SigningKey(keyFile()));
    }

    @Test
    void everyPosition_hasAProofThatLeadsToTheSignedRoot_andItsStoredEvent() {
        List<StoredEvent> events = storeAndAppend(700);
        Checkpoint at700 = checkpoint(700);
        Checkpoint at300 = checkpoint(300);

        ProofSession latest = proofs.against(null);
        assertThat(latest.checkpoint().treeSize()).isEqualTo(700);
        assertThat(latest.cutPosition()).isEqualTo(700);
        List<Long> positions = LongStream.rangeClosed(1, 700).boxed().toList();
        Map<Long, EntryProof> all = latest.prove(positions);
        assertThat(all).hasSize(700);
        for (long position : positions) {
            EntryProof proof = all.get(position);
            StoredEvent stored = events.get((int) position - 1);
            assertThat(proof.leafIndex()).isEqualTo(position - 1);
            assertThat(proof.event()).isEqualTo(StoredEventView.of(stored));
            assertThat(verifies(proof, at700)).as("position " + position).isTrue();
            assertThat(BASE64.decode(proof.leafHash())).isEqualTo(stored.leafHash());
        }

        ProofSession older = proofs.against("300");
        assertThat(older.cutPosition()).as("the position of the checkpoint's last leaf").isEqualTo(300);
        Map<Long, EntryProof> early = older.prove(List.of(1L, 255L, 256L, 257L, 300L, 301L));
        assertThat(early).as("301 is not in the tree of 300").containsOnlyKeys(1L, 255L, 256L, 257L, 300L);
        early.values().forEach(proof -> assertThat(verifies(proof, at300)).isTrue());
    }

    @Test
    void leafIndexesFollowTheLog_notThePositions_whenTheStoreHasHoles() {
        storeAndAppend(5);
        jdbc.queryForObject("SELECT setval('command_side.domain_event_entry_global_index_seq', 20)", Long.class);
        storeAndAppend(5);
        Checkpoint checkpoint = checkpoint(10);

        ProofSession session = proofs.against("10");
        assertThat(session.cutPosition()).isEqualTo(25);
        Map<Long, EntryProof> proven = session.prove(List.of(5L, 21L, 25L));
        assertThat(proven.get(21L).leafIndex()).isEqualTo(5);
        proven.values().forEach(proof -> assertThat(verifies(proof, checkpoint)).isTrue());
    }

    @Test
    void aRowChangedAfterItEnteredTheLog_isShownAsItIsNow_andNoLongerHashesToItsLeaf() {
        storeAndAppend(10);
        Checkpoint checkpoint = checkpoint(10);
        jdbc.update("UPDATE command_side.domain_event_entry SET meta_data = ? WHERE global_index = 4",
                "{\"actorId\":\"mallory\"}".getBytes(StandardCharsets.UTF_8));
        jdbc.update("DELETE FROM command_side.domain_event_entry WHERE global_index = 6");

        Map<Long, EntryProof> proven = proofs.against(null).prove(List.of(3L, 4L, 6L));

        EntryProof changed = proven.get(4L);
        assertThat(new String(BASE64.decode(changed.event().metadata()), StandardCharsets.UTF_8))
                .isEqualTo("{\"actorId\":\"mallory\"}");
        assertThat(verifies(changed, checkpoint)).as("the log's path still leads to the root").isTrue();
        assertThat(leafOf(changed.event())).as("but the event no longer hashes to its leaf")
                .isNotEqualTo(BASE64.decode(changed.leafHash()));
        assertThat(proven.get(6L).event()).as("a deleted row").isNull();
        assertThat(leafOf(proven.get(3L).event())).isEqualTo(BASE64.decode(proven.get(3L).leafHash()));
    }

    @Test
    void aPageOf500Proofs_inALargeLog_takesAHandfulOfQueries() {
        int events = 20_000;
        storeAndAppend(events);
        Checkpoint checkpoint = checkpoint(events - 3);
        // a workspace's entries spread over the log: every 40th event, 500 of them
        List<Long> page = LongStream.range(0, 500).map(i -> 1 + i * 40).boxed().toList();

        // the JVM's first proofs (class loading, JIT) are not what is measured
        proofs.against(null).prove(List.of(5L, 10_005L));
        ProofSession session = proofs.against(null);
        counting.reset();
        long started = System.nanoTime();
        Map<Long, EntryProof> proven = session.prove(page);
        long firstMs = (System.nanoTime() - started) / 1_000_000;
        int firstQueries = counting.statements();
        counting.reset();
        started = System.nanoTime();
        session.prove(LongStream.range(0, 500).map(i -> 21 + i * 40).boxed().toList());
        long nextMs = (System.nanoTime() - started) / 1_000_000;
        int nextQueries = counting.statements();
        System.out.printf("Proofs of a page of 500 entries in a log of %,d: %d statements, %d ms (a new request); "
                + "the next page: %d statements, %d ms; tiles read %d%n", events, firstQueries, firstMs,
                nextQueries, nextMs, session.tilesRead());

        assertThat(proven).hasSize(500);
        proven.values().forEach(proof -> assertThat(verifies(proof, checkpoint)).isTrue());
        // per batch of 250: leaves, events, leaf tiles; level-8 tiles once; and a few tiles at the right edge
        assertThat(firstQueries).isLessThanOrEqualTo(2 * 3 + 1 + 4);
        assertThat(nextQueries).isLessThanOrEqualTo(2 * 3);
    }

    @Test
    void anExportOf100000Entries_readsItsLogInAFewStatementsPerChunk() {
        int events = 100_000;
        jdbc.update("INSERT INTO command_side.domain_event_entry (event_identifier, aggregate_identifier, "
                + "sequence_number, type, payload_type, time_stamp, payload, meta_data) SELECT 'e' || i, 'ws', i, "
                + "'Workspace', 'T', '2026-12-07T00:00:00Z', convert_to('{\"n\":' || i || '}', 'UTF8'), "
                + "convert_to('{\"actorId\":\"alice\"}', 'UTF8') FROM generate_series(1, ?) i", events);
        storeAndAppend(0);
        Checkpoint checkpoint = checkpoint(events);
        proofs.against(null).prove(List.of(5L, 50_005L));

        ProofSession session = proofs.against(null);
        counting.reset();
        long nanos = 0;
        long cpuNanos = 0;
        long proven = 0;
        // as the export does: chunks of 1,000 entries, one session for the whole export; every proof is checked
        for (long from = 1; from <= events; from += 1_000) {
            long started = System.nanoTime();
            long cpuStarted = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            Map<Long, EntryProof> chunk = session.prove(LongStream.range(from, from + 1_000).boxed().toList());
            nanos += System.nanoTime() - started;
            cpuNanos += ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStarted;
            proven += chunk.size();
            chunk.values().forEach(proof -> assertThat(verifies(proof, checkpoint)).isTrue());
        }
        System.out.printf("Proofs of an export of %,d entries (the whole log): %d statements, %,d ms (%,d ms of this "
                + "thread's CPU), tiles read %d%n", proven, counting.statements(), nanos / 1_000_000,
                cpuNanos / 1_000_000, session.tilesRead());
        assertThat(proven).isEqualTo(events);
        // per chunk of 1,000: 4 batches of leaves and events, the chunk's 4 leaf tiles; and a level-8 tile
        assertThat(counting.statements()).isLessThanOrEqualTo(events / 1_000 * (4 * 2 + 4) + 5);

        for (long size : new long[] {65_535, 65_536, 65_537, 65_792, 99_999}) {
            Checkpoint smaller = checkpoint(size);
            List<Long> positions = List.of(1L, 256L, 257L, 65_536L, 65_537L, 65_793L, size - 1, size);
            Map<Long, EntryProof> sample = proofs.against(String.valueOf(size)).prove(positions);
            assertThat(sample.keySet()).as("positions in the tree of " + size)
                    .containsExactlyInAnyOrderElementsOf(positions.stream().filter(p -> p <= size).distinct().toList());
            sample.values().forEach(proof -> assertThat(verifies(proof, smaller)).as("size " + size).isTrue());
        }
    }

    @Test
    void theCheckpointNamed_mustExist() {
        assertThatThrownBy(() -> proofs.against(null)).isInstanceOfSatisfying(DomainRuleException.class,
                e -> assertThat(e.code()).isEqualTo(InclusionProofs.NO_CHECKPOINT));
        storeAndAppend(3);
        checkpoint(2);
        assertThatThrownBy(() -> proofs.against("3")).isInstanceOfSatisfying(DomainRuleException.class,
                e -> assertThat(e.code()).isEqualTo(InclusionProofs.CHECKPOINT_NOT_FOUND));
        for (String bad : List.of("0", "-1", "two", "1e3", "")) {
            assertThatThrownBy(() -> proofs.against(bad)).as(bad).isInstanceOfSatisfying(DomainRuleException.class,
                    e -> assertThat(e.code()).isEqualTo("invalid-parameter"));
        }
        assertThat(proofs.against("2").checkpoint().treeSize()).isEqualTo(2);
    }

    @Test
    void withoutASigningKey_andNoCheckpoint_theRefusalSaysNoneWillCome() {
        InclusionProofs unsigned = new InclusionProofs(jdbc, store, new SigningKey(""));
        assertThatThrownBy(() -> unsigned.against(null)).isInstanceOfSatisfying(DomainRuleException.class,
                e -> assertThat(e.code()).isEqualTo(InclusionProofs.SIGNING_NOT_CONFIGURED));
        storeAndAppend(3);
        checkpoint(3);
        assertThat(unsigned.against(null).checkpoint().treeSize()).as("checkpoints signed before still serve")
                .isEqualTo(3);
    }

    private String keyFile() {
        try {
            Path file = Files.createTempFile("signing-key", ".pem");
            Files.writeString(file, keys.keyFilePem());
            file.toFile().deleteOnExit();
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean verifies(EntryProof proof, Checkpoint checkpoint) {
        List<byte[]> path = new ArrayList<>();
        proof.inclusionPath().forEach(hash -> path.add(BASE64.decode(hash)));
        return proof.treeSize() == checkpoint.treeSize() && MerkleLog.verifyInclusion(proof.leafIndex(),
                checkpoint.treeSize(), BASE64.decode(proof.leafHash()), path, checkpoint.rootHash());
    }

    static byte[] leafOf(StoredEventView event) {
        return new StoredEvent(event.eventId(), event.aggregateId(), event.sequenceNumber(), event.aggregateType(),
                event.payloadType(), event.payloadRevision(), event.timestamp(), BASE64.decode(event.payload()),
                event.metadata() == null ? null : BASE64.decode(event.metadata())).leafHash();
    }

    /** Signs the head of the stored log at {@code size} into merkle_checkpoint, as the issuer does. */
    private Checkpoint checkpoint(long size) {
        Checkpoint checkpoint = keys.sign(size, store.tree().root(size), Instant.parse("2026-12-07T10:15:30Z"));
        jdbc.update("INSERT INTO query_side.merkle_checkpoint (tree_size, root_hash, issued_at, key_id, signature) "
                        + "VALUES (?, ?, ?, ?, ?)", checkpoint.treeSize(), checkpoint.rootHash(),
                Timestamp.from(checkpoint.issuedAt()), checkpoint.keyId(), checkpoint.signature());
        return checkpoint;
    }

    private List<StoredEvent> storeAndAppend(int count) {
        List<StoredEvent> events = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        long first = jdbc.queryForObject("SELECT count(*) FROM command_side.domain_event_entry", Long.class);
        for (long i = first; i < first + count; i++) {
            StoredEvent event = new StoredEvent("event-" + i, "ws-" + (i % 3), i, "Workspace",
                    "dev.svcaccounts.events.ProjectCreatedEvent", i % 2 == 0 ? null : "1",
                    "2026-12-07T00:00:00." + (100_000 + i) + "Z",
                    ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                    i % 5 == 0 ? null : ("{\"actorId\":\"alice-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
            events.add(event);
            rows.add(new Object[] {event.eventId(), event.aggregateId(), event.sequenceNumber(), event.aggregateType(),
                event.payloadType(), event.payloadRevision(), event.timestamp(), event.payload(), event.metadata()});
        }
        jdbc.batchUpdate("INSERT INTO command_side.domain_event_entry (event_identifier, aggregate_identifier, "
                + "sequence_number, type, payload_type, payload_revision, time_stamp, payload, meta_data) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        new MerkleLogAppender(jdbc, new DataSourceTransactionManager(jdbc.getDataSource()), store,
                new SettledStore(jdbc), beans.getBeanProvider(LogHeadListener.class), Duration.ofSeconds(1))
                .appendSettled();
        return events;
    }
}
