package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.MerkleLog;
import dev.svcaccounts.events.integrity.MerkleTree;
import dev.svcaccounts.events.integrity.StoredEvent;
import dev.svcaccounts.query.ReadModelDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.svcaccounts.events.integrity.MerkleLog.hex;
import static org.assertj.core.api.Assertions.assertThat;

/** The log holds every settled event of the store, once, in order, and its stored tree is RFC 9162's. */
class MerkleLogAppenderIT {

    private final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    private final List<Long> heads = new ArrayList<>();
    private MerkleLogStore store;

    @BeforeEach
    void emptyStore() {
        ReadModelDatabase.emptyEventStore();
        store = new MerkleLogStore(jdbc);
    }

    private MerkleLogAppender appender() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("heads", (LogHeadListener) (size, root) -> heads.add(size));
        return new MerkleLogAppender(jdbc, new DataSourceTransactionManager(jdbc.getDataSource()), store,
                new SettledStore(jdbc), beans.getBeanProvider(LogHeadListener.class), Duration.ofSeconds(1));
    }

    @Test
    void everyEvent_becomesALeaf_whoseHashIsOverItsStoredBytes_andTheStoredTreeIsTheReference() {
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            expected.add(store(i).leafHash());
        }
        assertThat(appender().appendSettled()).isEqualTo(700);

        assertThat(store.size()).isEqualTo(700);
        assertThat(store.leafAtPosition(1).orElseThrow().leafHash()).isEqualTo(expected.get(0));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM query_side.merkle_subtree WHERE level = 8", Long.class))
                .as("two complete blocks of 256").isEqualTo(2);
        MerkleTree tree = store.tree();
        for (int size : new int[] {1, 255, 256, 257, 512, 699, 700}) {
            assertThat(hex(tree.root(size))).as("head of " + size).isEqualTo(hex(MerkleLog.root(expected, size)));
        }
        assertThat(heads).containsExactly(700L);
        byte[] root = tree.root(700);
        assertThat(MerkleLog.verifyInclusion(300, 700, expected.get(300), tree.inclusionProof(300, 700), root))
                .isTrue();
    }

    @Test
    void anotherNode_orARestart_goesOnFromTheStoredLog() {
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            expected.add(store(i).leafHash());
        }
        appender().appendSettled();
        for (int i = 300; i < 600; i++) {
            expected.add(store(i).leafHash());
        }
        appender().appendSettled();

        assertThat(hex(store.tree().root(600))).isEqualTo(hex(MerkleLog.root(expected, 600)));
        assertThat(heads).containsExactly(300L, 600L);
    }

    @Test
    void aLargeStore_isBroughtInBatches() {
        int events = MerkleLogAppender.BATCH * 2 + 17;
        jdbc.update("INSERT INTO command_side.domain_event_entry (event_identifier, aggregate_identifier, "
                + "sequence_number, payload_type, time_stamp, payload) SELECT 'e' || i, 'ws', i, 'T', "
                + "'2026-12-07T00:00:00Z', convert_to('{}', 'UTF8') FROM generate_series(1, ?) i", events);
        assertThat(appender().appendSettled()).isEqualTo(events);
        assertThat(heads).containsExactly((long) MerkleLogAppender.BATCH, 2L * MerkleLogAppender.BATCH,
                (long) events);
    }

    @Test
    void aRolledBackInsert_leavesAHoleWithoutALeaf_andLeafIndexesStayContiguous() throws SQLException {
        store(1);
        try (Connection slow = inserting()) {
            store(2);
            slow.rollback();
        }
        store(3);
        appender().appendSettled();

        assertThat(jdbc.queryForList("SELECT position FROM query_side.merkle_leaf ORDER BY leaf_index", Long.class))
                .containsExactly(1L, 3L, 4L);
    }

    @Test
    void anInsertStillRunning_holdsTheLogBeforeIt_untilItEnds() throws SQLException {
        store(1);
        try (Connection slow = inserting()) {
            store(2);
            assertThat(appender().appendSettled()).as("position 2 may still be filled").isZero();
            slow.commit();
        }
        assertThat(appender().appendSettled()).isEqualTo(3);
        assertThat(jdbc.queryForList("SELECT position FROM query_side.merkle_leaf ORDER BY leaf_index", Long.class))
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void whileAnotherNodeAppends_thisOneAppendsNothing() throws SQLException {
        store(1);
        try (Connection other = jdbc.getDataSource().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, MerkleLogAppender.LOCK);
                lock.execute();
            }
            assertThat(appender().appendSettled()).isZero();
            other.rollback();
        }
        assertThat(appender().appendSettled()).isEqualTo(1);
    }

    private StoredEvent store(int i) {
        StoredEvent event = new StoredEvent("event-" + i, "ws-" + (i % 3), i, "Workspace",
                "dev.svcaccounts.events.ProjectCreatedEvent", null, "2026-12-07T00:00:0" + (i % 10) + "Z",
                ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                ("{\"actorId\":\"alice-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
        jdbc.update("INSERT INTO command_side.domain_event_entry (event_identifier, aggregate_identifier, "
                        + "sequence_number, type, payload_type, payload_revision, time_stamp, payload, meta_data) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", event.eventId(), event.aggregateId(),
                event.sequenceNumber(), event.aggregateType(), event.payloadType(), event.payloadRevision(),
                event.timestamp(), event.payload(), event.metadata());
        return event;
    }

    /** Another transaction that has drawn a position and not ended. */
    private Connection inserting() throws SQLException {
        Connection connection = jdbc.getDataSource().getConnection();
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO command_side.domain_event_entry "
                + "(event_identifier, time_stamp) VALUES ('slow-' || gen_random_uuid(), 'x')")) {
            insert.executeUpdate();
        }
        return connection;
    }
}
