package dev.svcaccounts.query.audit;

import dev.svcaccounts.events.WorkspaceEvent;
import dev.svcaccounts.events.time.InstantText;
import dev.svcaccounts.query.projection.BulkRebuild;
import org.axonframework.eventhandling.EventMessage;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Deletes the entries after {@code position}; drops the workspace trail's secondary indexes and its unique
     * constraint on {@code event_id} (not its primary key), recording in {@code bulk_rebuild_index}, in the same
     * transaction, how to make each again: the index's definition, or the {@code ALTER TABLE ... ADD CONSTRAINT}
     * that gives the constraint and its index back under their names. Measured on a million entries, COPY into the
     * table with its ten indexes took 5.7 times as long as into the table with its primary key alone (the unique
     * {@code event_id} index a third of what was left), and creating them afterwards less than the difference. While
     * the load runs nothing writes the trail but the load, whose entries carry the store's event ids, unique there;
     * the constraint checks them all again when it comes back. A reader of the trail during the load holds the
     * table: waiting for it is bounded by the lock timeout, after which the load tries again.
     */
    @Override
    public void begin(Connection connection, long position) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM query_side.audit_entry WHERE position > " + position);
            statement.executeUpdate("DELETE FROM query_side.platform_audit_entry WHERE position > " + position);
            statement.execute("SET LOCAL lock_timeout = '5s'");
            statement.executeUpdate("""
                    INSERT INTO query_side.bulk_rebuild_index (index_name, table_name, definition)
                    SELECT c.relname, 'audit_entry', pg_get_indexdef(i.indexrelid)
                      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                     WHERE i.indrelid = 'query_side.audit_entry'::regclass AND NOT i.indisprimary
                       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
                    ON CONFLICT (index_name) DO NOTHING""");
            statement.executeUpdate("""
                    INSERT INTO query_side.bulk_rebuild_index (index_name, table_name, definition)
                    SELECT k.conname, 'audit_entry', 'ALTER TABLE query_side.audit_entry ADD CONSTRAINT '
                           || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid)
                      FROM pg_constraint k
                     WHERE k.conrelid = 'query_side.audit_entry'::regclass AND k.contype = 'u'
                    ON CONFLICT (index_name) DO NOTHING""");
            List<String> drops = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("""
                    SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_constraint k
                                              WHERE k.conrelid = 'query_side.audit_entry'::regclass
                                                AND k.conname = b.index_name)
                                THEN 'ALTER TABLE query_side.audit_entry DROP CONSTRAINT ' || quote_ident(b.index_name)
                                ELSE 'DROP INDEX query_side.' || quote_ident(b.index_name) END
                      FROM query_side.bulk_rebuild_index b
                     WHERE b.table_name = 'audit_entry'
                       AND to_regclass('query_side.' || quote_ident(b.index_name)) IS NOT NULL""")) {
                while (rs.next()) {
                    drops.add(rs.getString(1));
                }
            }
            for (String drop : drops) {
                statement.execute(drop);
            }
            statement.execute("SET LOCAL lock_timeout TO DEFAULT");
        }
    }

    /**
     * Creates the indexes and the constraint {@link #begin} dropped, each index sorted once over the loaded entries.
     */
    @Override
    public void finish(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            List<String> definitions = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT definition FROM query_side.bulk_rebuild_index "
                    + "WHERE table_name = 'audit_entry' ORDER BY index_name")) {
                while (rs.next()) {
                    definitions.add(rs.getString(1));
                }
            }
            for (String definition : definitions) {
                statement.execute(definition);
            }
            statement.executeUpdate("DELETE FROM query_side.bulk_rebuild_index WHERE table_name = 'audit_entry'");
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
        InstantText.append(out.append('\t'), entry.occurredAt());
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

    private static boolean special(char c) {
        return c == '\\' || c == '\t' || c == '\n' || c == '\r';
    }

    private static void field(StringBuilder out, String value) {
        out.append('\t');
        if (value == null) {
            out.append("\\N");
            return;
        }
        int n = value.length();
        int first = 0;
        while (first < n && !special(value.charAt(first))) {
            first++;
        }
        // most values need no escape: appended whole (the profile had a quarter of the load's thread here)
        if (first == n) {
            out.append(value);
            return;
        }
        out.append(value, 0, first);
        for (int i = first; i < n; i++) {
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
