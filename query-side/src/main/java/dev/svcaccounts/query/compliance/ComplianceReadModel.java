package dev.svcaccounts.query.compliance;

import dev.svcaccounts.query.LastUse;
import dev.svcaccounts.query.policy.TokenPolicyReadModel;
import dev.svcaccounts.query.policy.TokenPolicyView;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compliance reports' reads: token metadata and accounts from the read models, last uses from
 * {@code command_side.token_usage}. "Now" is the injected clock's.
 */
@Repository
class ComplianceReadModel {

    /** Both kinds of token, with their owner and last use; narrowed to one workspace's working tokens below. */
    private static final String TOKENS = """
            SELECT t.*, %s FROM (
                SELECT t.token_id, t.workspace_id, t.hint, t.description, t.created_at, t.expires_at, t.revoked_at,
                       'service_account' AS owner_type, a.id AS owner_id, a.name AS owner_name, a.status AS owner_status
                  FROM query_side.service_account_token t
                  JOIN query_side.service_account a ON a.workspace_id = t.workspace_id AND a.id = t.service_account_id
                UNION ALL
                SELECT t.token_id, t.workspace_id, t.hint, t.description, t.created_at, t.expires_at, t.revoked_at,
                       'user', m.username, m.username, 'active'
                  FROM query_side.member_token t
                  JOIN query_side.member m ON m.workspace_id = t.workspace_id AND m.username = t.username
            ) t %s
            WHERE t.workspace_id = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)
            """.formatted(LastUse.COLUMNS, LastUse.JOIN);

    /** A workspace's (not deleted) service accounts with their explicit assignments, narrowed below. */
    private static final String ASSIGNMENTS = """
            SELECT a.id, a.name, a.status, a.deactivated_at, a.deactivation_reason,
                   p.project_key, p.name AS project_name, pa.role
              FROM query_side.service_account a
              JOIN query_side.project_assignment pa
                ON pa.workspace_id = a.workspace_id AND pa.principal_type = 'SERVICE_ACCOUNT' AND pa.principal_id = a.id
              JOIN query_side.project p ON p.workspace_id = pa.workspace_id AND p.project_key = pa.project_key
             WHERE a.workspace_id = ? AND a.status <> 'deleted'
            """;
    private static final String ASSIGNMENTS_ORDER = " ORDER BY lower(a.name), a.id, p.project_key";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    private final TokenPolicyReadModel policies;

    ComplianceReadModel(JdbcTemplate jdbc, Clock clock, TokenPolicyReadModel policies) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.policies = policies;
    }

    /** The workspace's working tokens that pass every filter given, oldest first. */
    List<ComplianceTokenView> tokens(String workspaceId, TokenReportFilter filter) {
        Instant now = clock.instant();
        StringBuilder sql = new StringBuilder(TOKENS);
        List<Object> arguments = new ArrayList<>(List.of(workspaceId, Timestamp.from(now)));
        if (filter.withoutExpiry() != null) {
            sql.append(filter.withoutExpiry() ? " AND t.expires_at IS NULL" : " AND t.expires_at IS NOT NULL");
        }
        if (filter.olderThanDays() != null) {
            sql.append(" AND t.created_at < ?");
            arguments.add(daysBefore(now, filter.olderThanDays()));
        }
        if (filter.unusedForDays() != null) {
            // never used: unused since it was issued
            sql.append(" AND coalesce(u.last_used_at, t.created_at) < ?");
            arguments.add(daysBefore(now, filter.unusedForDays()));
        }
        sql.append(" ORDER BY t.created_at, t.token_id");
        TokenPolicyView policy = policies.current(workspaceId);
        return jdbc.query(sql.toString(), ComplianceReadModel::token, arguments.toArray()).stream()
                .map(token -> token.withPolicyViolations(PolicyViolations.of(token, policy, now)))
                .filter(token -> filter.breaksPolicy() == null
                        || filter.breaksPolicy() == !token.policyViolations().isEmpty())
                .toList();
    }

    /** Accounts holding the explicit owner role on a project, with those projects; deactivated ones included. */
    List<ServiceAccountAssignmentsView> owners(String workspaceId) {
        return accounts(ASSIGNMENTS + " AND pa.role = 'OWNER'" + ASSIGNMENTS_ORDER, workspaceId);
    }

    /** Deactivated accounts with every assignment they keep (without effect until they are reactivated). */
    List<ServiceAccountAssignmentsView> deactivatedWithAssignments(String workspaceId) {
        return accounts(ASSIGNMENTS + " AND a.status = 'deactivated'" + ASSIGNMENTS_ORDER, workspaceId);
    }

    /** One row per assignment, in order; the rows of one account make one entry. */
    private List<ServiceAccountAssignmentsView> accounts(String sql, String workspaceId) {
        Map<String, ServiceAccountAssignmentsView> accounts = new LinkedHashMap<>();
        jdbc.query(sql, (rs, i) -> {
            ServiceAccountAssignmentsView account = new ServiceAccountAssignmentsView(rs.getString("id"),
                    rs.getString("name"), rs.getString("status"), instant(rs, "deactivated_at"),
                    rs.getString("deactivation_reason"), new ArrayList<>());
            ServiceAccountAssignmentsView.ProjectRoleView project = new ServiceAccountAssignmentsView.ProjectRoleView(
                    rs.getString("project_key"), rs.getString("project_name"), rs.getString("role").toLowerCase());
            return Map.entry(account, project);
        }, workspaceId).forEach(row -> accounts.computeIfAbsent(row.getKey().id(), id -> row.getKey())
                .projects().add(row.getValue()));
        return List.copyOf(accounts.values());
    }

    private static ComplianceTokenView token(ResultSet rs, int row) throws SQLException {
        LastUse lastUse = LastUse.of(rs);
        return new ComplianceTokenView(rs.getString("token_id"), rs.getString("hint"),
                new ComplianceTokenView.Owner(rs.getString("owner_type"), rs.getString("owner_id"),
                        rs.getString("owner_name")),
                rs.getString("owner_status"), rs.getString("description"), instant(rs, "created_at"),
                instant(rs, "expires_at"), lastUse.at(), lastUse.ip(), lastUse.never(), List.of());
    }

    private static Timestamp daysBefore(Instant now, int days) {
        return Timestamp.from(now.minus(Duration.ofDays(days)));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
