package dev.svcaccounts.query.project;

import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.query.PrincipalView;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of the "projects" read model, joined with the "members" and "service-accounts" ones where a listing
 * needs names and statuses. Each processor keeps its own pace, so for a moment after a change one table may be
 * ahead of another; every join here tolerates a missing row instead of dropping what the other table says.
 */
@Repository
class ProjectReadModel {

    /** A service account's assignment, with its name and status from the "service-accounts" read model. */
    record ServiceAccountAssignment(String id, String name, String status, ProjectRole role, Instant assignedAt,
                                    PrincipalView assignedBy) {
    }

    private final JdbcTemplate jdbc;

    ProjectReadModel(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<ProjectRow> list(String workspaceId) {
        return jdbc.query("SELECT * FROM query_side.project WHERE workspace_id = ? ORDER BY project_key",
                ProjectReadModel::project, workspaceId);
    }

    Optional<ProjectRow> find(String workspaceId, String projectKey) {
        return jdbc.query("SELECT * FROM query_side.project WHERE workspace_id = ? AND project_key = ?",
                ProjectReadModel::project, workspaceId, projectKey).stream().findFirst();
    }

    /** Assigned service accounts by name; one the "service-accounts" read model does not know yet counts as active. */
    List<ServiceAccountAssignment> serviceAccounts(String workspaceId, String projectKey) {
        return jdbc.query("""
                SELECT a.principal_id, a.role, a.assigned_at, a.assigned_by_type, a.assigned_by_id, s.name, s.status
                  FROM query_side.project_assignment a
                  LEFT JOIN query_side.service_account s ON s.workspace_id = a.workspace_id AND s.id = a.principal_id
                 WHERE a.workspace_id = ? AND a.project_key = ? AND a.principal_type = ?
                 ORDER BY lower(s.name), a.principal_id
                """, (rs, i) -> new ServiceAccountAssignment(rs.getString("principal_id"), rs.getString("name"),
                        rs.getString("status") == null ? ProjectAccessListing.ACTIVE : rs.getString("status"),
                        ProjectRole.valueOf(rs.getString("role")), rs.getTimestamp("assigned_at").toInstant(),
                        PrincipalView.of(rs.getString("assigned_by_type"), rs.getString("assigned_by_id"))),
                workspaceId, projectKey, PrincipalType.SERVICE_ACCOUNT.name());
    }

    /** Users explicitly assigned to the project, by username. */
    List<ProjectMemberView> members(String workspaceId, String projectKey) {
        return jdbc.query("""
                SELECT * FROM query_side.project_assignment
                 WHERE workspace_id = ? AND project_key = ? AND principal_type = ?
                 ORDER BY principal_id
                """, (rs, i) -> new ProjectMemberView(rs.getString("principal_id"), rs.getString("role").toLowerCase(),
                        rs.getTimestamp("assigned_at").toInstant(),
                        PrincipalView.of(rs.getString("assigned_by_type"), rs.getString("assigned_by_id"))),
                workspaceId, projectKey, PrincipalType.USER.name());
    }

    /**
     * Every user of the workspace with its explicit role in the project, if any (a user assigned but not in the
     * members read model is included, without a workspace role), and every assigned service account.
     */
    List<ProjectAccessListing.Candidate> accessCandidates(String workspaceId, String projectKey) {
        List<ProjectAccessListing.Candidate> candidates = new ArrayList<>(jdbc.query("""
                SELECT coalesce(m.username, a.principal_id) AS username,
                       m.role AS workspace_role, a.role AS explicit_role,
                       a.assigned_at, a.assigned_by_type, a.assigned_by_id
                  FROM (SELECT username, role FROM query_side.member WHERE workspace_id = ?) m
                  FULL JOIN (SELECT principal_id, role, assigned_at, assigned_by_type, assigned_by_id
                               FROM query_side.project_assignment
                              WHERE workspace_id = ? AND project_key = ? AND principal_type = ?) a
                    ON a.principal_id = m.username
                """, (rs, i) -> new ProjectAccessListing.Candidate(PrincipalType.USER, rs.getString("username"),
                        rs.getString("username"), enumOrNull(WorkspaceRole.class, rs.getString("workspace_role")),
                        ProjectAccessListing.ACTIVE, enumOrNull(ProjectRole.class, rs.getString("explicit_role")),
                        instantOrNull(rs, "assigned_at"),
                        PrincipalView.of(rs.getString("assigned_by_type"), rs.getString("assigned_by_id"))),
                workspaceId, workspaceId, projectKey, PrincipalType.USER.name()));
        for (ServiceAccountAssignment sa : serviceAccounts(workspaceId, projectKey)) {
            candidates.add(new ProjectAccessListing.Candidate(PrincipalType.SERVICE_ACCOUNT, sa.id(), sa.name(), null,
                    sa.status(), sa.role(), sa.assignedAt(), sa.assignedBy()));
        }
        return candidates;
    }

    private static ProjectRow project(ResultSet rs, int row) throws SQLException {
        return new ProjectRow(rs.getString("project_key"), rs.getString("name"),
                ProjectVisibility.valueOf(rs.getString("visibility")), rs.getTimestamp("created_at").toInstant(),
                PrincipalView.of(rs.getString("created_by_type"), rs.getString("created_by_id")));
    }

    private static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        java.sql.Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static <E extends Enum<E>> E enumOrNull(Class<E> type, String name) {
        return name == null ? null : Enum.valueOf(type, name);
    }
}
