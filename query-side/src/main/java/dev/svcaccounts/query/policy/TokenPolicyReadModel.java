package dev.svcaccounts.query.policy;

import dev.svcaccounts.query.PrincipalView;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** A workspace's current credential policy from {@code query_side.token_policy}; the default when it set none. */
@Repository
public class TokenPolicyReadModel {

    private final JdbcTemplate jdbc;

    TokenPolicyReadModel(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public TokenPolicyView current(String workspaceId) {
        return jdbc.query("SELECT * FROM query_side.token_policy WHERE workspace_id = ?", TokenPolicyReadModel::view,
                workspaceId).stream().findFirst().orElse(TokenPolicyView.DEFAULT);
    }

    private static TokenPolicyView view(ResultSet rs, int row) throws SQLException {
        return new TokenPolicyView((Integer) rs.getObject("max_lifetime_days"), rs.getBoolean("require_expiry"),
                (Integer) rs.getObject("max_idle_days"), rs.getBoolean("allow_service_account_tokens"),
                rs.getBoolean("enforced"), instant(rs, "idle_counts_from"), instant(rs, "set_at"),
                PrincipalView.of(rs.getString("set_by_type"), rs.getString("set_by_id")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
