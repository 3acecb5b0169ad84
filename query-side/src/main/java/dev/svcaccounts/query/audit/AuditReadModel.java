package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

@Repository
class AuditReadModel {

    private final JdbcTemplate jdbc;
    private final ObjectMapper objectMapper;

    AuditReadModel(JdbcTemplate jdbc, ObjectMapper objectMapper) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
    }

    /** Entries in position order, at most {@code limit}, all filters applied in SQL on indexed columns. */
    List<AuditEntryView> find(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM query_side.audit_entry WHERE workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(q.workspaceId()));
        if (q.actor() != null) {
            sql.append(" AND actor_id = ?");
            args.add(q.actor());
        }
        if (q.subject() != null) {
            sql.append(" AND subject_id = ?");
            args.add(q.subject());
        }
        if (q.project() != null) {
            sql.append(" AND details ->> 'project' = ?");
            args.add(q.project());
        }
        if (q.type() != null) {
            sql.append(" AND type = ?");
            args.add(q.type());
        }
        if (q.from() != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND occurred_at < ?");
            args.add(Timestamp.from(q.to()));
        }
        if (q.after() != null) {
            sql.append(" AND position > ?");
            args.add(q.after());
        }
        sql.append(" ORDER BY position LIMIT ?");
        args.add(q.limit());
        return jdbc.query(sql.toString(), this::entry, args.toArray());
    }

    private AuditEntryView entry(ResultSet rs, int row) throws SQLException {
        String actorType = rs.getString("actor_type");
        try {
            return new AuditEntryView(rs.getLong("position"), rs.getString("event_id"),
                    rs.getTimestamp("occurred_at").toInstant(), rs.getString("type"),
                    new AuditEntryView.Subject(rs.getString("subject_type"), rs.getString("subject_id")),
                    actorType == null ? null
                            : new AuditEntryView.Actor(actorType, rs.getString("actor_id"), rs.getString("actor_name")),
                    rs.getString("token_id"), rs.getString("request_id"), rs.getString("client_ip"),
                    rs.getString("user_agent"), rs.getString("reason"),
                    objectMapper.readTree(rs.getString("details")));
        } catch (JsonProcessingException e) {
            throw new SQLException("Unreadable details in audit entry " + rs.getLong("position"), e);
        }
    }
}
