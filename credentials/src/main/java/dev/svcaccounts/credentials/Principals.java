package dev.svcaccounts.credentials;

import dev.svcaccounts.events.PrincipalType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which principals the credential tables know, for the read models: exact the moment a command has returned,
 * where a read model may lag. A principal's row is never deleted: a removed user or a deactivated or deleted
 * account stays, inactive.
 */
@Component
public class Principals {

    private final JdbcTemplate jdbc;

    public Principals(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the principal was ever created in the workspace, whatever became of it since. */
    public boolean everExisted(String workspaceId, PrincipalType type, String id) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM command_side.auth_principal
                                WHERE workspace_id = ? AND principal_type = ? AND principal_id = ?)
                """, Boolean.class, workspaceId, type.name(), id));
    }

    /** Whether the principal is active now: a member not removed, an account neither deactivated nor deleted. */
    public boolean isActive(String workspaceId, PrincipalType type, String id) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM command_side.auth_principal
                                WHERE workspace_id = ? AND principal_type = ? AND principal_id = ? AND active)
                """, Boolean.class, workspaceId, type.name(), id));
    }
}
