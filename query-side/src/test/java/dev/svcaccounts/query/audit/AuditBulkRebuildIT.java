package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.infra.database.LongStatements;
import dev.svcaccounts.query.ReadModelDatabase;
import dev.svcaccounts.query.projection.BulkRebuild;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bulk rebuild's COPY writes exactly the rows the live projection's statement writes, every column, for values
 * that COPY's text format must escape (tabs, line breaks, backslashes, its own null marker) and for absent ones.
 */
class AuditBulkRebuildIT {

    private static final String AWKWARD =
            "tab\there, line\nbreak, return\r, back\\slash, \\N, \"quoted\", ünïcødé ✓";

    private final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    private final AuditProjection projection = new AuditProjection(jdbc, new ObjectMapper(),
            new LongStatements(jdbc.getDataSource()));
    private final AuditBulkRebuild rebuild = new AuditBulkRebuild(projection);

    @BeforeEach
    void emptyStore() {
        ReadModelDatabase.emptyEventStore();
        ReadModelDatabase.clear();
    }

    @Test
    void copiedEntries_equalTheLiveProjections_everyColumn() throws Exception {
        List<EventMessage<?>> events = List.of(
                message(new ServiceAccountCreatedEvent("acme", "sa-1", AWKWARD, null), actor(AWKWARD)),
                message(new ServiceAccountDeactivatedEvent("acme", "sa-1", AWKWARD), Map.of()),
                message(new UserAddedEvent("acme", "alice", WorkspaceRole.ADMIN), actor("alice")),
                message(new TokenRevokedEvent("acme", "tok-1", PrincipalRef.serviceAccount("sa-1"),
                        TokenRevocationCause.ACCOUNT_DEACTIVATED), actor("bob")));
        long position = 10;
        for (EventMessage<?> event : events) {
            jdbc.update("INSERT INTO command_side.domain_event_entry (global_index, time_stamp, event_identifier) "
                    + "VALUES (?, ?, ?)", position, event.getTimestamp().toString(), event.getIdentifier());
            position += 3;
        }
        List<AuditEntryWriter.PendingEntry> live = new ArrayList<>();
        for (EventMessage<?> event : events) {
            live.add(projection.entry((WorkspaceEvent) event.getPayload(), event));
        }
        new AuditEntryWriter(jdbc).write(live);
        List<String> written = ReadModelDatabase.dump("audit_entry");
        assertThat(written).hasSize(events.size());
        jdbc.execute("TRUNCATE query_side.audit_entry");

        try (Connection connection = jdbc.getDataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (BulkRebuild.Chunk chunk = rebuild.chunk(connection)) {
                position = 10;
                for (EventMessage<?> event : events) {
                    assertThat(chunk.add(position, event)).isTrue();
                    position += 3;
                }
            }
            connection.commit();
        }

        assertThat(ReadModelDatabase.dump("audit_entry")).isEqualTo(written);
    }

    @Test
    void begin_dropsTheSecondaryIndexesAndTheUniqueEventId_andFinish_createsThemAgainAsTheyWere() throws Exception {
        String indexes = "SELECT indexname || ': ' || indexdef FROM pg_indexes "
                + "WHERE schemaname = 'query_side' AND tablename = 'audit_entry' ORDER BY 1";
        String constraints = "SELECT conname || ': ' || pg_get_constraintdef(oid) || ' index ' || conindid::regclass "
                + "FROM pg_constraint WHERE conrelid = 'query_side.audit_entry'::regclass ORDER BY 1";
        List<String> before = jdbc.queryForList(indexes, String.class);
        assertThat(before).hasSizeGreaterThan(5);
        List<String> constraintsBefore = jdbc.queryForList(constraints, String.class);
        assertThat(constraintsBefore).contains(
                "audit_entry_event_id_key: UNIQUE (event_id) index query_side.audit_entry_event_id_key");
        try (Connection connection = jdbc.getDataSource().getConnection()) {
            connection.setAutoCommit(false);
            rebuild.begin(connection, 0);
            connection.commit();
            try (var rs = connection.createStatement().executeQuery("SELECT indexname FROM pg_indexes "
                    + "WHERE schemaname = 'query_side' AND tablename = 'audit_entry' ORDER BY 1")) {
                List<String> left = new ArrayList<>();
                while (rs.next()) {
                    left.add(rs.getString(1));
                }
                assertThat(left).as("the primary key only").containsExactly("audit_entry_pkey");
            }
            try (var rs = connection.createStatement().executeQuery("SELECT conname FROM pg_constraint "
                    + "WHERE conrelid = 'query_side.audit_entry'::regclass AND contype = 'u'")) {
                assertThat(rs.next()).as("a unique constraint left during the load").isFalse();
            }
            rebuild.begin(connection, 0); // a second loader after a kill: nothing left to drop, nothing forgotten
            rebuild.finish(connection);
            connection.commit();
        }

        assertThat(jdbc.queryForList(indexes, String.class)).isEqualTo(before);
        assertThat(jdbc.queryForList(constraints, String.class)).isEqualTo(constraintsBefore);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM query_side.bulk_rebuild_index", Long.class)).isZero();
    }

    @Test
    void theUniqueEventId_isCheckedAgainWhenItComesBack() throws Exception {
        try (Connection connection = jdbc.getDataSource().getConnection()) {
            connection.setAutoCommit(false);
            rebuild.begin(connection, 0);
            connection.commit();
            try (var insert = connection.prepareStatement("INSERT INTO query_side.audit_entry (position, event_id, "
                    + "workspace_id, occurred_at, type, subject_type, subject_id, details) "
                    + "VALUES (?, 'twice', 'acme', now(), 't', 's', 's', '{}')")) {
                for (long position = 1; position <= 2; position++) {
                    insert.setLong(1, position);
                    insert.executeUpdate();
                }
            }
            connection.commit();
            assertThatThrownBy(() -> rebuild.finish(connection)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("audit_entry_event_id_key");
            connection.rollback();
            jdbc.execute("DELETE FROM query_side.audit_entry");
            rebuild.finish(connection);
            connection.commit();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_constraint "
                + "WHERE conrelid = 'query_side.audit_entry'::regclass AND conname = 'audit_entry_event_id_key'",
                Long.class)).isOne();
    }

    @Test
    void begin_removesTheEntriesPastThePosition_only() throws Exception {
        try (Connection connection = jdbc.getDataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (BulkRebuild.Chunk chunk = rebuild.chunk(connection)) {
                for (int position = 1; position <= 5; position++) {
                    chunk.add(position, message(new UserAddedEvent("acme", "u" + position, WorkspaceRole.MEMBER),
                            Map.of()));
                }
            }
            rebuild.begin(connection, 3);
            rebuild.finish(connection);
            connection.commit();
        }

        assertThat(jdbc.queryForList("SELECT position FROM query_side.audit_entry ORDER BY position", Long.class))
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void eventsOutsideTheWorkspaceTrail_areLeftToTheirHandlers() throws Exception {
        try (Connection connection = jdbc.getDataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (BulkRebuild.Chunk chunk = rebuild.chunk(connection)) {
                assertThat(chunk.add(1, GenericEventMessage.asEventMessage("not a workspace event"))).isFalse();
            }
            connection.rollback();
        }
    }

    private static Map<String, Object> actor(String name) {
        Map<String, Object> meta = new HashMap<>();
        meta.put(AuditMetadata.ACTOR_TYPE, "USER");
        meta.put(AuditMetadata.ACTOR_ID, "u-1");
        meta.put(AuditMetadata.ACTOR_NAME, name);
        meta.put(AuditMetadata.REQUEST_ID, "req\t1");
        meta.put(AuditMetadata.CLIENT_IP, "10.0.0.1");
        meta.put(AuditMetadata.USER_AGENT, name);
        meta.put(AuditMetadata.REASON, name);
        return meta;
    }

    private static EventMessage<?> message(Object payload, Map<String, Object> meta) {
        return new GenericEventMessage<>(payload, MetaData.from(meta));
    }
}
