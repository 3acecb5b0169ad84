package dev.svcaccounts.query.member;

import dev.svcaccounts.query.PrincipalView;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.List;

/** Reads of the "members" read model. */
@Repository
class MemberReadModel {

    private final JdbcTemplate jdbc;

    MemberReadModel(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<MemberView> list(String workspaceId) {
        return jdbc.query("SELECT * FROM query_side.member WHERE workspace_id = ? ORDER BY username",
                (rs, i) -> new MemberView(rs.getString("username"), rs.getString("role").toLowerCase(),
                        rs.getTimestamp("added_at").toInstant(),
                        PrincipalView.of(rs.getString("added_by_type"), rs.getString("added_by_id"))),
                workspaceId);
    }
}
