package dev.svcaccounts.query.audit;

import dev.svcaccounts.query.ReadModelDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A batch of audit entries is written in one statement, each at its own event's position. */
class AuditEntryWriterIT {

    private static final Instant T = Instant.parse("2026-11-29T10:15:30.123456Z");

    private final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    private final AuditEntryWriter writer = new AuditEntryWriter(jdbc);

    @BeforeEach
    void emptyStore() {
        ReadModelDatabase.emptyEventStore();
        ReadModelDatabase.clear();
    }

    @Test
    void eachEntryTakesItsOwnEventsPosition_whateverTheOrderOfTheBatch() {
        stored(7, "e-7");
        stored(3, "e-3");
        stored(12, "e-12");

        writer.write(List.of(entry("e-12", "token.issued"), entry("e-3", "workspace.created"),
                entry("e-7", "user.added")));

        assertThat(jdbc.queryForList("SELECT position, event_id, type FROM query_side.audit_entry ORDER BY position"))
                .containsExactly(
                        Map.of("position", 3L, "event_id", "e-3", "type", "workspace.created"),
                        Map.of("position", 7L, "event_id", "e-7", "type", "user.added"),
                        Map.of("position", 12L, "event_id", "e-12", "type", "token.issued"));
    }

    @Test
    void everyColumnIsStoredAsGiven_nullsIncluded() {
        stored(1, "e-1");
        writer.write(List.of(new AuditEntryWriter.PendingEntry("e-1", "acme", T, "token.revoked", "token", "tok-1",
                "service_account", "sa-1", "user", "u-1", "Alice", "tok-0", "req-1", "job-7", "10.0.0.1", "curl/8",
                "leaked in \"ci\",\nsee ü-1 \\ [x]",
                "{\"before\":{\"active\":true},\"after\":{\"active\":false},\"project\":null}")));
        writer.write(List.of());
        stored(2, "e-2");
        writer.write(List.of(new AuditEntryWriter.PendingEntry("e-2", "acme", T, "workspace.created", "workspace",
                "acme", null, null, null, null, null, null, null, null, null, null, null, "{}")));

        Map<String, Object> full = jdbc.queryForMap("""
                SELECT workspace_id, occurred_at = '2026-11-29T10:15:30.123456Z'::timestamptz AS same_instant, type,
                       subject_type, subject_id, account_type, account_id, actor_type, actor_id, actor_name, token_id,
                       request_id, correlation_id, client_ip, user_agent, reason, details::text AS details
                  FROM query_side.audit_entry WHERE position = 1""");
        assertThat(full).containsEntry("workspace_id", "acme").containsEntry("same_instant", true)
                .containsEntry("type", "token.revoked").containsEntry("subject_type", "token")
                .containsEntry("subject_id", "tok-1").containsEntry("account_type", "service_account")
                .containsEntry("account_id", "sa-1").containsEntry("actor_type", "user")
                .containsEntry("actor_id", "u-1").containsEntry("actor_name", "Alice")
                .containsEntry("token_id", "tok-0").containsEntry("request_id", "req-1")
                .containsEntry("correlation_id", "job-7")
                .containsEntry("client_ip", "10.0.0.1").containsEntry("user_agent", "curl/8")
                .containsEntry("reason", "leaked in \"ci\",\nsee ü-1 \\ [x]")
                .containsEntry("details",
                        "{\"after\": {\"active\": false}, \"before\": {\"active\": true}, \"project\": null}");
        Map<String, Object> sparse = jdbc.queryForMap("""
                SELECT account_id, actor_type, actor_name, token_id, correlation_id, reason, details::text AS details
                  FROM query_side.audit_entry WHERE position = 2""");
        assertThat(sparse.values()).containsExactly(null, null, null, null, null, null, "{}");
    }

    @Test
    void aBatchWrittenAgain_leavesOneEntryPerEvent() {
        stored(1, "e-1");
        stored(2, "e-2");
        writer.write(List.of(entry("e-1", "workspace.created")));

        writer.write(List.of(entry("e-1", "workspace.created"), entry("e-2", "user.added")));

        assertThat(jdbc.queryForList("SELECT position FROM query_side.audit_entry ORDER BY position", Long.class))
                .containsExactly(1L, 2L);
    }

    @Test
    void anEventMissingFromTheStore_failsTheBatch() {
        stored(1, "e-1");

        assertThatThrownBy(() -> writer.write(
                List.of(entry("e-1", "workspace.created"), entry("e-gone", "user.added"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("e-gone");
    }

    @Test
    void aLargeBatch_isWrittenWhole() {
        List<AuditEntryWriter.PendingEntry> batch = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            stored(i, "e-" + i);
            batch.add(entry("e-" + i, "token.issued"));
        }

        writer.write(batch);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM query_side.audit_entry", Long.class)).isEqualTo(1000);
    }

    private void stored(long position, String eventId) {
        jdbc.update("INSERT INTO command_side.domain_event_entry (global_index, time_stamp, event_identifier) "
                + "VALUES (?, ?, ?)", position, T.toString(), eventId);
    }

    private static AuditEntryWriter.PendingEntry entry(String eventId, String type) {
        return new AuditEntryWriter.PendingEntry(eventId, "acme", T, type, "workspace", "acme", null, null, "user",
                "u-1", "Alice", null, null, null, null, null, null, "{}");
    }
}
