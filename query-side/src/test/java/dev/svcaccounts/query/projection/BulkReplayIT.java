package dev.svcaccounts.query.projection;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.infra.database.LongStatements;
import dev.svcaccounts.query.ReadModelDatabase;
import dev.svcaccounts.query.audit.AuditRebuildFixture;
import dev.svcaccounts.query.integrity.SettledStore;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The bulk rebuild's two threads (the reader deserialising batches ahead, the chunks mapping and writing them): a
 * chunk that fails while the reader is batches ahead, or a reader that fails, leaves the trail's rows and the group's
 * tokens in agreement, as a killed node does; the next load, from any node, carries on from the tokens, and at the
 * end every event has its entry once, the tokens are released and the indexes and the unique {@code event_id}
 * constraint the load dropped are back.
 */
class BulkReplayIT {

    private static final int EVENTS = 3_200;
    private static final int CHUNK = 1_000;
    private static final String GROUP = "audit";
    private static final String INDEXES = """
            SELECT indexname || ': ' || indexdef FROM pg_indexes
             WHERE schemaname = 'query_side' AND tablename = 'audit_entry'
            UNION ALL
            SELECT conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint
             WHERE conrelid = 'query_side.audit_entry'::regclass
             ORDER BY 1""";

    private final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    private final Serializer serializer = JacksonSerializer.builder().objectMapper(new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).build();
    private final EventHandlerInvoker handlers = mock(EventHandlerInvoker.class);
    private BulkReplay replay;
    private List<String> indexes;

    @BeforeEach
    void storeAndTokens() {
        ReadModelDatabase.emptyEventStore();
        ReadModelDatabase.clear();
        jdbc.update("DELETE FROM query_side.token_entry");
        for (int segment = 0; segment < 2; segment++) {
            jdbc.update("INSERT INTO query_side.token_entry (processor_name, segment) VALUES (?, ?)", GROUP, segment);
        }
        List<Object[]> rows = new ArrayList<>();
        Instant time = Instant.parse("2026-12-07T06:00:00.001Z");
        for (int i = 1; i <= EVENTS; i++) {
            SerializedObject<byte[]> payload = serializer.serialize(
                    new UserAddedEvent("acme", "user-" + i, WorkspaceRole.MEMBER), byte[].class);
            SerializedObject<byte[]> meta = serializer.serialize(MetaData.from(Map.of(
                    AuditMetadata.ACTOR_TYPE, "USER", AuditMetadata.ACTOR_ID, "alice",
                    AuditMetadata.REQUEST_ID, "req-" + i)), byte[].class);
            rows.add(new Object[]{"event-" + i, "acme", (long) i, "Workspace", payload.getType().getName(),
                    payload.getType().getRevision(), time.plusMillis(i * 7L).toString(), payload.getData(),
                    meta.getData()});
        }
        jdbc.batchUpdate("INSERT INTO command_side.domain_event_entry (event_identifier, aggregate_identifier, "
                + "sequence_number, type, payload_type, payload_revision, time_stamp, payload, meta_data) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
        when(handlers.canHandle(any(), any())).thenReturn(false);
        replay = replay(Duration.ofSeconds(10), Clock.systemUTC());
        indexes = jdbc.queryForList(INDEXES, String.class);
    }

    private BulkReplay replay(Duration claimTimeout, Clock clock) {
        Configuration axon = mock(Configuration.class);
        when(axon.upcasterChain()).thenReturn(new EventUpcasterChain());
        TokenSchema schema = TokenSchema.builder().setTokenTable("query_side.token_entry")
                .setProcessorNameColumn("processor_name").setSegmentColumn("segment").setTokenColumn("token")
                .setTokenTypeColumn("token_type").setTimestampColumn("timestamp").setOwnerColumn("owner").build();
        return new BulkReplay(jdbc.getDataSource(), new DataSourceTransactionManager(jdbc.getDataSource()),
                new SettledStore(jdbc), serializer, serializer, axon, schema,
                new LongStatements(jdbc.getDataSource()), CHUNK, Duration.ofSeconds(10), 700, claimTimeout, clock);
    }

    @AfterEach
    void indexesBack() throws SQLException {
        // a failed test must not leave the trail without its indexes for the next ones
        if (jdbc.queryForObject("SELECT count(*) FROM query_side.bulk_rebuild_index", Long.class) > 0) {
            jdbc.execute("DELETE FROM query_side.audit_entry");
            try (Connection connection = jdbc.getDataSource().getConnection()) {
                connection.setAutoCommit(false);
                AuditRebuildFixture.auditRebuild(jdbc).finish(connection);
                connection.commit();
            }
        }
    }

    @Test
    void aChunkFailingWhileTheReaderIsAhead_leavesRowsAndTokensThatAgree_andTheNextLoadFinishes() throws Exception {
        AtomicInteger added = new AtomicInteger();
        BulkRebuild failing = failingAfter(AuditRebuildFixture.auditRebuild(jdbc), 1_700, added);

        assertThatThrownBy(() -> replay.load(failing, handlers, "node-1")).hasMessageContaining("the 1700th");

        assertThat(added.get()).as("the chunks' thread stopped in the second chunk").isEqualTo(1_700);
        assertThat(readerThreads()).as("the reader stopped with the load").isZero();
        long token = agreeingRowsAndTokens("node-1 bulk replay");
        assertThat(token).as("the first chunk's end").isEqualTo(CHUNK);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_constraint WHERE conname = 'audit_entry_event_id_key'",
                Long.class)).as("dropped during the load").isZero();

        // another node after the kill: the lease is not its own, and is no processor's claim either
        assertThat(replay.load(AuditRebuildFixture.auditRebuild(jdbc), handlers, "node-2"))
                .isEqualTo(BulkReplay.Outcome.LOADED);

        loadedOnceEach();
    }

    @Test
    void aReaderFailingAfterSomeChunks_leavesRowsAndTokensThatAgree_andTheNextLoadFinishes() throws Exception {
        jdbc.update("UPDATE command_side.domain_event_entry SET payload = convert_to('{not json', 'UTF8') "
                + "WHERE global_index = 2345");

        assertThatThrownBy(() -> replay.load(AuditRebuildFixture.auditRebuild(jdbc), handlers, "node-1"))
                .isInstanceOf(RuntimeException.class);

        assertThat(readerThreads()).isZero();
        long token = agreeingRowsAndTokens("node-1 bulk replay");
        assertThat(token).as("the chunks before the bad row").isEqualTo(2 * CHUNK);

        SerializedObject<byte[]> payload = serializer.serialize(
                new UserAddedEvent("acme", "user-2345", WorkspaceRole.MEMBER), byte[].class);
        jdbc.update("UPDATE command_side.domain_event_entry SET payload = ? WHERE global_index = 2345",
                (Object) payload.getData());
        assertThat(replay.load(AuditRebuildFixture.auditRebuild(jdbc), handlers, "node-1"))
                .isEqualTo(BulkReplay.Outcome.LOADED);

        loadedOnceEach();
    }

    @Test
    void aProcessorsClaim_holdsTheLoadOff_forTheTokenStoresClaimTimeout_asConfigured() throws Exception {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        jdbc.update("UPDATE query_side.token_entry SET owner = 'node-9', timestamp = ? WHERE processor_name = ?",
                now.minusSeconds(30).toString(), GROUP);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);

        assertThat(replay(Duration.ofMinutes(1), clock).load(AuditRebuildFixture.auditRebuild(jdbc), handlers,
                "node-1")).as("a claim 30 s old, with claims held for a minute").isEqualTo(
                BulkReplay.Outcome.NOT_CLAIMABLE);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM query_side.audit_entry", Long.class)).isZero();

        assertThat(replay(Duration.ofSeconds(10), clock).load(AuditRebuildFixture.auditRebuild(jdbc), handlers,
                "node-1")).as("the same claim, with claims held for 10 s").isEqualTo(BulkReplay.Outcome.LOADED);
        loadedOnceEach();
    }

    /** The rows are exactly the events up to the tokens' position, which every segment shares; returns it. */
    private long agreeingRowsAndTokens(String owner) {
        List<Map<String, Object>> tokens = jdbc.queryForList("SELECT convert_from(token, 'UTF8') AS token, owner "
                + "FROM query_side.token_entry WHERE processor_name = ?", GROUP);
        assertThat(tokens).hasSize(2).allSatisfy(t -> assertThat(t.get("owner")).isEqualTo(owner));
        assertThat(tokens.stream().map(t -> t.get("token")).distinct()).hasSize(1);
        long position = jdbc.queryForObject("SELECT (convert_from(token, 'UTF8')::json ->> 'index')::bigint "
                + "FROM query_side.token_entry WHERE processor_name = ? LIMIT 1", Long.class, GROUP);
        assertThat(jdbc.queryForList("SELECT position FROM query_side.audit_entry ORDER BY position", Long.class))
                .isEqualTo(jdbc.queryForList("SELECT global_index FROM command_side.domain_event_entry "
                        + "WHERE global_index <= ? ORDER BY global_index", Long.class, position));
        return position;
    }

    private void loadedOnceEach() {
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM query_side.audit_entry a JOIN command_side.domain_event_entry e
                    ON e.global_index = a.position AND e.event_identifier = a.event_id
                   AND a.occurred_at = CAST(e.time_stamp AS timestamptz)
                """, Long.class)).as("entries that match their event").isEqualTo(EVENTS);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM query_side.audit_entry", Long.class)).isEqualTo(EVENTS);
        assertThat(jdbc.queryForList("SELECT DISTINCT owner FROM query_side.token_entry WHERE processor_name = ?",
                String.class, GROUP)).as("the claims released").containsExactly((String) null);
        assertThat(jdbc.queryForList("SELECT DISTINCT (convert_from(token, 'UTF8')::json ->> 'index')::bigint "
                + "FROM query_side.token_entry WHERE processor_name = ?", Long.class, GROUP))
                .containsExactly((long) EVENTS);
        assertThat(jdbc.queryForList(INDEXES, String.class)).as("the indexes and the unique event_id, back")
                .isEqualTo(indexes).anyMatch(s -> s.equals("audit_entry_event_id_key: UNIQUE (event_id)"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM query_side.bulk_rebuild_index", Long.class)).isZero();
    }

    private static long readerThreads() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            long alive = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("projection-bulk-replay-reader") && t.isAlive()).count();
            if (alive == 0) {
                return 0;
            }
            Thread.sleep(50);
        }
        return 1;
    }

    /** The rebuild, failing at its {@code failAt}-th event as a node killed then would stop. */
    private static BulkRebuild failingAfter(BulkRebuild rebuild, int failAt, AtomicInteger added) {
        return new BulkRebuild() {
            @Override
            public String processingGroup() {
                return rebuild.processingGroup();
            }

            @Override
            public void begin(Connection connection, long position) throws SQLException {
                rebuild.begin(connection, position);
            }

            @Override
            public void finish(Connection connection) throws SQLException {
                rebuild.finish(connection);
            }

            @Override
            public Chunk chunk(Connection connection) throws SQLException {
                Chunk chunk = rebuild.chunk(connection);
                return new Chunk() {
                    @Override
                    public boolean add(long position, EventMessage<?> event) throws Exception {
                        if (added.incrementAndGet() == failAt) {
                            throw new IllegalStateException("the " + failAt + "th event");
                        }
                        return chunk.add(position, event);
                    }

                    @Override
                    public void close() throws SQLException {
                        chunk.close();
                    }
                };
            }
        };
    }
}
