package dev.svcaccounts.query.serviceaccount;

import dev.svcaccounts.query.LastUse;
import dev.svcaccounts.query.PrincipalView;
import dev.svcaccounts.query.TokenWithLastUse;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads of the "service-accounts" read model. */
@Repository
class ServiceAccountReadModel {

    private static final String ACCOUNT_COLUMNS = """
            SELECT a.*, (SELECT count(*) FROM query_side.service_account_token t
                          WHERE t.workspace_id = a.workspace_id AND t.service_account_id = a.id
                            AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)) AS active_tokens
              FROM query_side.service_account a
            """;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    ServiceAccountReadModel(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    List<ServiceAccountView> list(String workspaceId, String status) {
        // without a status filter, deleted accounts are left out: they are history, not accounts
        return jdbc.query(ACCOUNT_COLUMNS + " WHERE a.workspace_id = ?"
                        + " AND (a.status = ? OR (CAST(? AS text) IS NULL AND a.status <> 'deleted'))"
                        + " ORDER BY lower(a.name)",
                this::account, Timestamp.from(clock.instant()), workspaceId, status, status);
    }

    Optional<ServiceAccountView> find(String workspaceId, String id) {
        return jdbc.query(ACCOUNT_COLUMNS + " WHERE a.workspace_id = ? AND a.id = ?",
                this::account, Timestamp.from(clock.instant()), workspaceId, id).stream().findFirst();
    }

    /** Every token of the account with its last use, oldest first: one statement. */
    List<TokenWithLastUse> tokens(String workspaceId, String serviceAccountId) {
        Instant now = clock.instant();
        return jdbc.query("SELECT t.*, " + LastUse.COLUMNS + " FROM query_side.service_account_token t" + LastUse.JOIN
                + """
                 WHERE t.workspace_id = ? AND t.service_account_id = ?
                 ORDER BY t.created_at, t.token_id COLLATE "C"
                """, (rs, i) -> TokenWithLastUse.from(rs, now), workspaceId, serviceAccountId);
    }

    /** The account's project assignments, by project key (from the "projects" read model). */
    List<ServiceAccountView.ProjectRoleView> projects(String workspaceId, String serviceAccountId) {
        return jdbc.query("""
                SELECT project_key, role FROM query_side.project_assignment
                 WHERE workspace_id = ? AND principal_type = 'SERVICE_ACCOUNT' AND principal_id = ?
                 ORDER BY project_key COLLATE "C"
                """, (rs, i) -> new ServiceAccountView.ProjectRoleView(rs.getString("project_key"),
                rs.getString("role").toLowerCase()), workspaceId, serviceAccountId);
    }

    private ServiceAccountView account(ResultSet rs, int row) throws SQLException {
        return new ServiceAccountView(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                rs.getString("status"), instant(rs, "created_at"),
                PrincipalView.of(rs.getString("created_by_type"), rs.getString("created_by_id")),
                instant(rs, "updated_at"), instant(rs, "deactivated_at"), rs.getString("deactivation_reason"),
                instant(rs, "deleted_at"), rs.getInt("active_tokens"), null, null, null, null);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
