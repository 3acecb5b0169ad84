package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a batch of audit entries in one statement: the entries travel as one JSON document and are inserted
 * together, each at its event's global index, looked up by the event's id. One statement per batch instead of one
 * per entry: in a replay, PostgreSQL spent more on the statement around each entry than on the row and its indexes
 * (docs/performance.md, change 6).
 */
final class AuditEntryWriter {

    /** One entry, as the projection collects it; {@code details} is JSON text. */
    record PendingEntry(String eventId, String workspaceId, Instant occurredAt, String type, String subjectType,
                        String subjectId, String accountType, String accountId, String actorType, String actorId,
                        String actorName, String tokenId, String requestId, String correlationId, String clientIp,
                        String userAgent, String reason, String details) {
    }

    // LATERAL: one index lookup per entry, whatever the planner thinks of the batch's length. NOT EXISTS rather than
    // ON CONFLICT DO NOTHING: the same look-up of the position, without the speculative insertion that ON CONFLICT
    // makes of every row (a lock taken and released and a confirmation record in the WAL per entry, about one of the
    // entry's 12 WAL records). An entry written meanwhile by another transaction (only a node that lost its segment's
    // claim mid-batch) then fails the batch with the key's violation, and the batch is handled again: it finds the
    // entry there and skips it, as ON CONFLICT would have.
    private static final String INSERT = """
            INSERT INTO query_side.audit_entry
                (position, event_id, workspace_id, occurred_at, type, subject_type, subject_id, account_type,
                 account_id, actor_type, actor_id, actor_name, token_id, request_id, correlation_id, client_ip,
                 user_agent, reason, details)
            SELECT e.global_index, e.event_identifier, b.workspace_id, b.occurred_at, b.type, b.subject_type,
                   b.subject_id, b.account_type, b.account_id, b.actor_type, b.actor_id, b.actor_name, b.token_id,
                   b.request_id, b.correlation_id, b.client_ip, b.user_agent, b.reason, b.details
              FROM json_to_recordset(CAST(? AS json))
                   AS b(event_id text, workspace_id text, occurred_at timestamptz, type text, subject_type text,
                        subject_id text, account_type text, account_id text, actor_type text, actor_id text,
                        actor_name text, token_id text, request_id text, correlation_id text, client_ip text,
                        user_agent text, reason text, details jsonb)
             CROSS JOIN LATERAL (SELECT d.global_index, d.event_identifier
                                   FROM command_side.domain_event_entry d
                                  WHERE d.event_identifier = b.event_id) e
             WHERE NOT EXISTS (SELECT 1 FROM query_side.audit_entry a WHERE a.position = e.global_index)
            RETURNING event_id
            """;
    private static final JsonFactory JSON = new JsonFactory();

    private final JdbcTemplate jdbc;

    AuditEntryWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts the entries; one already there (a batch handled again after a failure) is left as it is. Fails, so
     * the batch rolls back and is retried, when an event is not in the store.
     */
    void write(List<PendingEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        String batch = asJson(entries);
        Set<String> inserted = new HashSet<>(jdbc.queryForList(INSERT, String.class, batch));
        for (PendingEntry entry : entries) {
            if (!inserted.contains(entry.eventId()) && !recorded(entry.eventId())) {
                throw new IllegalStateException("Event " + entry.eventId() + " is not in the event store");
            }
        }
    }

    /** The batch as one JSON array of objects, one per entry, keyed by the columns of the statement's recordset. */
    static String asJson(List<PendingEntry> entries) {
        StringWriter text = new StringWriter(entries.size() * 600);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartArray();
            for (PendingEntry entry : entries) {
                json.writeStartObject();
                json.writeStringField("event_id", entry.eventId());
                json.writeStringField("workspace_id", entry.workspaceId());
                // ISO-8601 with its offset: no time zone of the JVM or the session in between
                json.writeStringField("occurred_at", entry.occurredAt().toString());
                json.writeStringField("type", entry.type());
                json.writeStringField("subject_type", entry.subjectType());
                json.writeStringField("subject_id", entry.subjectId());
                json.writeStringField("account_type", entry.accountType());
                json.writeStringField("account_id", entry.accountId());
                json.writeStringField("actor_type", entry.actorType());
                json.writeStringField("actor_id", entry.actorId());
                json.writeStringField("actor_name", entry.actorName());
                json.writeStringField("token_id", entry.tokenId());
                json.writeStringField("request_id", entry.requestId());
                json.writeStringField("correlation_id", entry.correlationId());
                json.writeStringField("client_ip", entry.clientIp());
                json.writeStringField("user_agent", entry.userAgent());
                json.writeStringField("reason", entry.reason());
                json.writeFieldName("details");
                json.writeRawValue(entry.details());
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a batch of audit entries as JSON", e);
        }
        return text.toString();
    }

    private boolean recorded(String eventId) {
        Integer entries = jdbc.queryForObject("SELECT count(*) FROM query_side.audit_entry WHERE event_id = ?",
                Integer.class, eventId);
        return entries != null && entries > 0;
    }
}
