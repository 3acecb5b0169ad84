package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.credentials.Principals;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.infra.database.LongStatements;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads of the audit trail. Only entries at or below {@link AuditWatermark the watermark} are shown: below it the
 * trail is final, which is what makes cursor paging and incremental exports lose nothing.
 */
@Repository
class AuditReadModel {

    private final JdbcTemplate jdbc;
    private final ObjectMapper objectMapper;
    private final AuditWatermark watermark;
    private final LongStatements longStatements;
    private final Principals principals;

    AuditReadModel(JdbcTemplate jdbc, ObjectMapper objectMapper, AuditWatermark watermark,
                   LongStatements longStatements, Principals principals) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
        this.watermark = watermark;
        this.longStatements = longStatements;
        this.principals = principals;
    }

    /** The position up to which the trail is complete and final; -1 while nothing is. */
    long completeUpTo() {
        return watermark.completeUpTo();
    }

    /** Entries in position order, at most {@code limit}, none above {@code upTo}; every filter runs in SQL. */
    List<AuditEntryView> find(AuditQuery q, long upTo, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM query_side.audit_entry WHERE workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(q.workspaceId()));
        if (q.actorType() != null) {
            sql.append(" AND actor_type = ?");
            args.add(q.actorType());
        }
        if (q.actor() != null) {
            sql.append(" AND actor_id = ?");
            args.add(q.actor());
        }
        if (q.subjectType() != null) {
            sql.append(" AND subject_type = ?");
            args.add(q.subjectType());
        }
        if (q.subject() != null) {
            sql.append(" AND subject_id = ?");
            args.add(q.subject());
        }
        if (q.account() != null) {
            sql.append(" AND ((account_type = ? AND account_id = ?) OR (actor_type = ? AND actor_id = ?))");
            args.addAll(List.of(q.accountType(), q.account(), q.accountType(), q.account()));
        }
        if (q.project() != null) {
            sql.append(" AND details ->> 'project' = ?");
            args.add(q.project());
        }
        if (q.type() != null) {
            sql.append(" AND type = ?");
            args.add(q.type());
        }
        if (q.token() != null) {
            sql.append(" AND token_id = ?");
            args.add(q.token());
        }
        if (q.correlationId() != null) {
            sql.append(" AND correlation_id = ?");
            args.add(q.correlationId());
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
        sql.append(" AND position <= ? ORDER BY position LIMIT ?");
        args.add(upTo);
        args.add(limit);
        String text = sql.toString();
        ArgumentPreparedStatementSetter values = new ArgumentPreparedStatementSetter(args.toArray());
        return jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(text);
            // planned with its values every time, never server-prepared: PostgreSQL's generic plan for a timeline
            // walks the whole trail in position order when the account has less than a page left (1-3 s on 1M
            // entries, against 0.04 ms planned with the values; docs/performance.md)
            if (statement.isWrapperFor(PGStatement.class)) {
                statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
            values.setValues(statement);
            return statement;
        }, this::entry);
    }

    /**
     * As {@link #find}, for a page of an export: without the socket timeout, since a rare combination of filters
     * over a large trail may scan for a while before it has a page.
     */
    List<AuditEntryView> findForExport(AuditQuery q, long upTo, int limit) {
        return longStatements.run(() -> find(q, upTo, limit));
    }

    /**
     * Whether the trail knows this account at all: a timeline of an account that never existed is a 404.
     * {@code accountType} as in the trail: {@code service_account} or {@code user}.
     */
    boolean knowsAccount(String workspaceId, String accountType, String accountId) {
        // the credential tables know an account the moment it is created; the trail keeps it after it is deleted.
        // A refused attempt names whatever its path named, so it proves nobody existed (a never-member's timeline
        // would otherwise answer 200 once somebody was refused on its path)
        return principals.everExisted(workspaceId, PrincipalType.valueOf(accountType.toUpperCase(Locale.ROOT)),
                accountId)
                || Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM query_side.audit_entry
                                WHERE workspace_id = ? AND account_id = ? AND account_type = ?
                                  AND type NOT IN ('access.refused', 'access.refusals_not_recorded'))
                """, Boolean.class, workspaceId, accountId, accountType));
    }

    private AuditEntryView entry(ResultSet rs, int row) throws SQLException {
        String actorType = rs.getString("actor_type");
        String accountType = rs.getString("account_type");
        try {
            return new AuditEntryView(rs.getLong("position"), rs.getString("event_id"),
                    rs.getTimestamp("occurred_at").toInstant(), rs.getString("type"),
                    new AuditEntryView.Subject(rs.getString("subject_type"), rs.getString("subject_id")),
                    accountType == null ? null : new AuditEntryView.Account(accountType, rs.getString("account_id")),
                    actorType == null ? null
                            : new AuditEntryView.Actor(actorType, rs.getString("actor_id"), rs.getString("actor_name")),
                    rs.getString("token_id"), rs.getString("request_id"), rs.getString("correlation_id"),
                    rs.getString("client_ip"),
                    rs.getString("user_agent"), rs.getString("reason"),
                    objectMapper.readTree(rs.getString("details")), null);
        } catch (JsonProcessingException e) {
            throw new SQLException("Unreadable details in audit entry " + rs.getLong("position"), e);
        }
    }
}
