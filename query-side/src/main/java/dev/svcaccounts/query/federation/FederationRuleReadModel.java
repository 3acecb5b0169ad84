package dev.svcaccounts.query.federation;

import dev.svcaccounts.query.PrincipalView;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** A service account's federation rules in force, in the order they were added. */
@Repository
public class FederationRuleReadModel {

    private final JdbcTemplate jdbc;

    FederationRuleReadModel(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<FederationRuleView> rulesOf(String workspaceId, String serviceAccountId) {
        return jdbc.query("""
                SELECT * FROM query_side.federation_rule WHERE workspace_id = ? AND service_account_id = ?
                 ORDER BY created_at, rule_id COLLATE "C"
                """, FederationRuleReadModel::view, workspaceId, serviceAccountId);
    }

    private static FederationRuleView view(ResultSet rs, int row) throws SQLException {
        return new FederationRuleView(rs.getString("rule_id"), rs.getString("issuer"), rs.getString("jwks_uri"),
                FederationRuleView.jwks(rs.getString("jwks")), rs.getString("audience"), rs.getString("subject"),
                FederationRuleView.claims(rs.getString("claims")), rs.getInt("max_token_lifetime_seconds"),
                rs.getTimestamp("created_at").toInstant(),
                PrincipalView.of(rs.getString("created_by_type"), rs.getString("created_by_id")));
    }
}
