package dev.svcaccounts.query.project;

import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectDeletedEvent;
import dev.svcaccounts.events.ProjectRenamedEvent;
import dev.svcaccounts.events.ProjectRoleAssignedEvent;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.ProjectVisibilityChangedEvent;
import dev.svcaccounts.query.BatchedWrites;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Projects and their explicit assignments. Idempotent: creation and assignment are upserts (a deleted
 * project's key may be used again), the rest are updates and deletes that leave the same rows when run twice.
 * An assignment's time and actor are those of the event that gave its current role.
 */
@Component
@ProcessingGroup(ProjectProjection.PROCESSING_GROUP)
class ProjectProjection {

    static final String PROCESSING_GROUP = "projects";

    private final JdbcTemplate jdbc;
    private final BatchedWrites writes;

    ProjectProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.writes = new BatchedWrites(jdbc);
    }

    @EventHandler
    void on(ProjectCreatedEvent e, @Timestamp Instant at) {
        writes.update("""
                INSERT INTO query_side.project
                    (workspace_id, project_key, name, visibility, created_at, created_by_type, created_by_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (workspace_id, project_key) DO UPDATE
                   SET name = EXCLUDED.name, visibility = EXCLUDED.visibility, created_at = EXCLUDED.created_at,
                       created_by_type = EXCLUDED.created_by_type, created_by_id = EXCLUDED.created_by_id
                """, e.workspaceId(), e.projectKey(), e.name(), e.visibility().name(), ts(at),
                e.createdBy().type().name(), e.createdBy().id());
    }

    @EventHandler
    void on(ProjectRenamedEvent e) {
        writes.update("UPDATE query_side.project SET name = ? WHERE workspace_id = ? AND project_key = ?",
                e.name(), e.workspaceId(), e.projectKey());
    }

    @EventHandler
    void on(ProjectVisibilityChangedEvent e) {
        writes.update("UPDATE query_side.project SET visibility = ? WHERE workspace_id = ? AND project_key = ?",
                e.visibility().name(), e.workspaceId(), e.projectKey());
    }

    @EventHandler
    void on(ProjectDeletedEvent e) {
        writes.update("DELETE FROM query_side.project_assignment WHERE workspace_id = ? AND project_key = ?",
                e.workspaceId(), e.projectKey());
        writes.update("DELETE FROM query_side.project WHERE workspace_id = ? AND project_key = ?",
                e.workspaceId(), e.projectKey());
    }

    @EventHandler
    void on(ProjectRoleAssignedEvent e, @Timestamp Instant at,
            @MetaDataValue(AuditMetadata.ACTOR_TYPE) String actorType,
            @MetaDataValue(AuditMetadata.ACTOR_ID) String actorId) {
        writes.update("""
                INSERT INTO query_side.project_assignment
                    (workspace_id, project_key, principal_type, principal_id, role,
                     assigned_at, assigned_by_type, assigned_by_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (workspace_id, project_key, principal_type, principal_id) DO UPDATE
                   SET role = EXCLUDED.role, assigned_at = EXCLUDED.assigned_at,
                       assigned_by_type = EXCLUDED.assigned_by_type, assigned_by_id = EXCLUDED.assigned_by_id
                """, e.workspaceId(), e.projectKey(), e.assignee().type().name(), e.assignee().id(), e.role().name(),
                ts(at), actorType, actorId);
    }

    @EventHandler
    void on(ProjectRoleRemovedEvent e) {
        writes.update("""
                DELETE FROM query_side.project_assignment
                 WHERE workspace_id = ? AND project_key = ? AND principal_type = ? AND principal_id = ?
                """, e.workspaceId(), e.projectKey(), e.assignee().type().name(), e.assignee().id());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM query_side.project_assignment");
        jdbc.update("DELETE FROM query_side.project");
    }

    private static java.sql.Timestamp ts(Instant instant) {
        return java.sql.Timestamp.from(instant);
    }
}
