package dev.svcaccounts.query.audit;

import dev.svcaccounts.events.WorkspaceEvent;
import dev.svcaccounts.query.projection.BulkRebuild;
import org.axonframework.eventhandling.EventMessage;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The workspace audit trail rebuilt in bulk: each chunk's entries go to PostgreSQL in one {@code COPY ... FROM STDIN}
 * (text format), mapped by the live projection's own {@link AuditProjection#entry}. The live path looks the position
 * up by the event's id; here the position comes with the event's row. Platform events (the other handler of the
 * group) are left to their handler.
 */
@Component
class AuditBulkRebuild implements BulkRebuild {

    static final String COPY = "COPY query_side.audit_entry (position, event_id, workspace_id, occurred_at, type, "
            + "subject_type, subject_id, account_type, account_id, actor_type, actor_id, actor_name, token_id, "
            + "request_id, correlation_id, client_ip, user_agent, reason, details) FROM STDIN";
    /** What is buffered before it is handed to the connection. */
    private static final int FLUSH_AT = 256 * 1024;

    private final AuditProjection projection;

    AuditBulkRebuild(AuditProjection projection) {
        this.projection = projection;
    }

    @Override
    public String processingGroup() {
        return AuditProjection.PROCESSING_GROUP;
    }

    @Override
    public void discardAfter(Connection connection, long position) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM query_side.audit_entry WHERE position > " + position);
            statement.executeUpdate("DELETE FROM query_side.platform_audit_entry WHERE position > " + position);
        }
    }

    @Override
    public Chunk chunk(Connection connection) throws SQLException {
        return new CopyChunk(connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY));
    }

    private final class CopyChunk implements Chunk {

        private final CopyIn copy;
        private final StringBuilder rows = new StringBuilder(FLUSH_AT + 8192);

        CopyChunk(CopyIn copy) {
            this.copy = copy;
        }

        @Override
        public boolean add(long position, EventMessage<?> event) throws Exception {
            if (!(event.getPayload() instanceof WorkspaceEvent workspaceEvent)) {
                return false;
            }
            row(rows, position, projection.entry(workspaceEvent, event));
            if (rows.length() >= FLUSH_AT) {
                flush();
            }
            return true;
        }

        @Override
        public void close() throws SQLException {
            try {
                flush();
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        }

        private void flush() throws SQLException {
            if (!rows.isEmpty()) {
                byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
                rows.setLength(0);
            }
        }
    }

    /** One line of COPY's text format: the columns of {@link #COPY}, tab-separated, {@code \N} for null. */
    static void row(StringBuilder out, long position, AuditEntryWriter.PendingEntry entry) {
        out.append(position);
        field(out, entry.eventId());
        field(out, entry.workspaceId());
        // ISO-8601 with its offset, as the live path sends it: no time zone of the JVM or the session in between
        field(out, entry.occurredAt().toString());
        field(out, entry.type());
        field(out, entry.subjectType());
        field(out, entry.subjectId());
        field(out, entry.accountType());
        field(out, entry.accountId());
        field(out, entry.actorType());
        field(out, entry.actorId());
        field(out, entry.actorName());
        field(out, entry.tokenId());
        field(out, entry.requestId());
        field(out, entry.correlationId());
        field(out, entry.clientIp());
        field(out, entry.userAgent());
        field(out, entry.reason());
        field(out, entry.details());
        out.append('\n');
    }

    private static void field(StringBuilder out, String value) {
        out.append('\t');
        if (value == null) {
            out.append("\\N");
            return;
        }
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
