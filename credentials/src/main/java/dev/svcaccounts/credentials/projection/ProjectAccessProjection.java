package dev.svcaccounts.credentials.projection;

import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectDeletedEvent;
import dev.svcaccounts.events.ProjectRenamedEvent;
import dev.svcaccounts.events.ProjectRoleAssignedEvent;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.ProjectVisibilityChangedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code auth_project} and {@code auth_project_role}: each project's visibility and its explicit
 * assignments, which with {@code auth_principal} decide every principal's effective access. Same processing
 * group as {@link CredentialProjection}, so it runs in the command's own transaction: introspection and
 * {@code /v1/me} read a role change, a removal or a deactivation the moment its command has returned.
 * Upserts and deletes only, so handling an event twice changes nothing.
 */
@Component
@ProcessingGroup(CredentialProjection.PROCESSING_GROUP)
class ProjectAccessProjection {

    private final JdbcTemplate jdbc;

    ProjectAccessProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ProjectCreatedEvent event) {
        jdbc.update("""
                INSERT INTO command_side.auth_project (workspace_id, project_key, name, visibility)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (workspace_id, project_key)
                DO UPDATE SET name = EXCLUDED.name, visibility = EXCLUDED.visibility
                """, event.workspaceId(), event.projectKey(), event.name(), event.visibility().name());
    }

    @EventHandler
    void on(ProjectRenamedEvent event) {
        jdbc.update("UPDATE command_side.auth_project SET name = ? WHERE workspace_id = ? AND project_key = ?",
                event.name(), event.workspaceId(), event.projectKey());
    }

    @EventHandler
    void on(ProjectVisibilityChangedEvent event) {
        jdbc.update("UPDATE command_side.auth_project SET visibility = ? WHERE workspace_id = ? AND project_key = ?",
                event.visibility().name(), event.workspaceId(), event.projectKey());
    }

    @EventHandler
    void on(ProjectDeletedEvent event) {
        // its assignments go with it (ON DELETE CASCADE)
        jdbc.update("DELETE FROM command_side.auth_project WHERE workspace_id = ? AND project_key = ?",
                event.workspaceId(), event.projectKey());
    }

    @EventHandler
    void on(ProjectRoleAssignedEvent event) {
        jdbc.update("""
                INSERT INTO command_side.auth_project_role
                    (workspace_id, project_key, principal_type, principal_id, role)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (workspace_id, project_key, principal_type, principal_id) DO UPDATE SET role = EXCLUDED.role
                """, event.workspaceId(), event.projectKey(), event.assignee().type().name(), event.assignee().id(),
                event.role().name());
    }

    @EventHandler
    void on(ProjectRoleRemovedEvent event) {
        jdbc.update("""
                DELETE FROM command_side.auth_project_role
                 WHERE workspace_id = ? AND project_key = ? AND principal_type = ? AND principal_id = ?
                """, event.workspaceId(), event.projectKey(), event.assignee().type().name(), event.assignee().id());
    }
}
