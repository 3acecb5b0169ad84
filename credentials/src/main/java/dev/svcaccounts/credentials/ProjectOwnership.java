package dev.svcaccounts.credentials;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Whether a principal owns a project of its workspace right now: an explicit {@code owner} assignment (users and
 * service accounts alike; a workspace admin's implicit owner role does not count here). Read from
 * {@code auth_project_role}, written in the command's own transaction, so the principal whose last ownership was
 * just removed no longer owns anything on its very next request. One indexed lookup (the principal's assignments).
 */
@Component
public class ProjectOwnership {

    private static final String OWNS_A_PROJECT = """
            SELECT EXISTS (SELECT 1 FROM command_side.auth_project_role
                            WHERE workspace_id = ? AND principal_type = ? AND principal_id = ? AND role = 'OWNER')
            """;

    private final JdbcTemplate jdbc;

    public ProjectOwnership(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** True when the principal is assigned {@code owner} on at least one project of its workspace. */
    public boolean ownsAProject(AuthenticatedPrincipal principal) {
        if (principal.workspaceId() == null) {
            return false;
        }
        return Boolean.TRUE.equals(jdbc.queryForObject(OWNS_A_PROJECT, Boolean.class, principal.workspaceId(),
                principal.type().name(), principal.id()));
    }
}
