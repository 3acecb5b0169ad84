package dev.svcaccounts.query.member;

import dev.svcaccounts.credentials.Principals;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.query.LastUse;
import dev.svcaccounts.query.PrincipalView;
import dev.svcaccounts.query.TokenWithLastUse;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads of the "members" read model. */
@Repository
class MemberReadModel {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Principals principals;

    MemberReadModel(JdbcTemplate jdbc, Clock clock, Principals principals) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.principals = principals;
    }

    List<MemberView> list(String workspaceId) {
        return jdbc.query("SELECT * FROM query_side.member WHERE workspace_id = ? ORDER BY username",
                MemberReadModel::member, workspaceId);
    }

    Optional<MemberView> find(String workspaceId, String username) {
        return jdbc.query("SELECT * FROM query_side.member WHERE workspace_id = ? AND username = ?",
                MemberReadModel::member, workspaceId, username).stream().findFirst();
    }

    /**
     * Whether the user is a member now, from the credential table that the member's own answer reads too (exact
     * the moment a command has returned, where this read model may lag).
     */
    boolean isMember(String workspaceId, String username) {
        return principals.isActive(workspaceId, PrincipalType.USER, username);
    }

    private static MemberView member(ResultSet rs, int row) throws SQLException {
        return new MemberView(rs.getString("username"), rs.getString("role").toLowerCase(),
                rs.getTimestamp("added_at").toInstant(),
                PrincipalView.of(rs.getString("added_by_type"), rs.getString("added_by_id")));
    }

    /**
     * The tokens issued to the user since it was (last) added, oldest first. A username removed and added again
     * may be another person: the earlier tokens, all revoked, are theirs, and stay in the audit trail only. With
     * each token's last use: one statement.
     */
    List<TokenWithLastUse> tokens(String workspaceId, String username) {
        Instant now = clock.instant();
        return jdbc.query("SELECT t.*, " + LastUse.COLUMNS + " FROM query_side.member_token t" + LastUse.JOIN + """
                  JOIN query_side.member m ON m.workspace_id = t.workspace_id AND m.username = t.username
                 WHERE t.workspace_id = ? AND t.username = ? AND t.created_at >= m.added_at
                 ORDER BY t.created_at, t.token_id
                """, (rs, i) -> TokenWithLastUse.from(rs, now), workspaceId, username);
    }
}
