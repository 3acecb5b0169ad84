package dev.svcaccounts.command.project;

import dev.svcaccounts.command.token.TokenScopeRules;
import dev.svcaccounts.command.workspace.Decision;
import dev.svcaccounts.command.workspace.WorkspaceLimits;
import dev.svcaccounts.command.workspace.WorkspaceState;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectAccess;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectDeletedEvent;
import dev.svcaccounts.events.ProjectPermission;
import dev.svcaccounts.events.ProjectRenamedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectRoleAssignedEvent;
import dev.svcaccounts.events.ProjectRoleRemovalCause;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.ProjectVisibilityChangedEvent;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.events.WorkspaceEvent;
import dev.svcaccounts.refusals.DomainRuleException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static dev.svcaccounts.command.workspace.WorkspaceState.describe;

/**
 * The rules on projects and their assignments: any active principal creates a project and owns it, owners and
 * workspace admins manage it, only workspace admins delete it, and a service account knows only the projects it
 * has access to (any other is "not found"). A scoped token's actor acts at the lower of its role and the token's cap
 * ({@code scope}: null for a token with its owner's full access).
 */
public final class ProjectRules {

    private ProjectRules() {
    }

    public static Decision<ProjectSummary> create(WorkspaceState state, CreateProjectCommand command,
                                                  WorkspaceLimits limits) {
        state.requireActivePrincipal(command.actor());
        if (state.projects().find(command.projectKey()).isPresent()) {
            throw DomainRuleException.conflict("project-exists", "Workspace '" + state.workspaceId()
                    + "' already has a project with key '" + command.projectKey() + "'.");
        }
        if (state.projects().count() >= limits.projects()) {
            throw state.limitReached("project-limit-reached", "projects", limits.projects(),
                    "A workspace admin can delete one first.");
        }
        requireAssignmentRoom(state, limits); // its creator becomes its owner
        return Decision.returning(new ProjectSummary(command.projectKey(), command.name(), command.visibility()),
                new ProjectCreatedEvent(state.workspaceId(), command.projectKey(), command.name(),
                        command.visibility(), command.actor()),
                new ProjectRoleAssignedEvent(state.workspaceId(), command.projectKey(), command.actor(),
                        ProjectRole.OWNER, null));
    }

    /** A rename, a change of visibility, both or neither: only what changes is recorded. */
    public static Decision<ProjectSummary> update(WorkspaceState state, UpdateProjectCommand command,
                                                  TokenScope scope) {
        ProjectState project = requireManageableProject(state, command.projectKey(), command.actor(), scope);
        String name = command.name() != null ? command.name() : project.name();
        ProjectVisibility visibility = command.visibility() != null ? command.visibility() : project.visibility();
        List<WorkspaceEvent> events = new ArrayList<>();
        if (!Objects.equals(name, project.name())) {
            events.add(new ProjectRenamedEvent(state.workspaceId(), project.key(), name, project.name()));
        }
        if (visibility != project.visibility()) {
            events.add(new ProjectVisibilityChangedEvent(state.workspaceId(), project.key(), visibility,
                    project.visibility()));
        }
        return Decision.returning(new ProjectSummary(project.key(), name, visibility), events);
    }

    public static Decision<Void> delete(WorkspaceState state, DeleteProjectCommand command) {
        state.requireActivePrincipal(command.actor());
        // refused before the project is looked up, so the answer tells a service account nothing about it
        if (command.actor().type() == PrincipalType.SERVICE_ACCOUNT) {
            throw DomainRuleException.forbidden("service-accounts-cannot-delete-projects", "Service accounts can "
                    + "never delete projects, whatever their role in the project. Ask a workspace admin.");
        }
        ProjectState project = requireVisibleProject(state, command.projectKey(), command.actor());
        if (!state.isAdmin(command.actor())) {
            throw DomainRuleException.forbidden("workspace-admin-required",
                    "Only workspace admins may delete projects, project owners included.");
        }
        // each assignment ends on its own record first, so an assignee's timeline shows its role ending here, and
        // not as still held in a later project with the same key
        List<WorkspaceEvent> events = new ArrayList<>();
        project.assignmentsInOrder().forEach(assignment -> events.add(new ProjectRoleRemovedEvent(
                state.workspaceId(), project.key(), assignment.getKey(), assignment.getValue(),
                ProjectRoleRemovalCause.PROJECT_DELETED)));
        events.add(new ProjectDeletedEvent(state.workspaceId(), project.key(), project.name()));
        return Decision.of(events);
    }

    /** Assigning the role already held records nothing, and a changed role takes no room of the limit. */
    public static Decision<AssignmentResult> assign(WorkspaceState state, AssignProjectRoleCommand command,
                                                    WorkspaceLimits limits, TokenScope scope) {
        ProjectState project = requireManageableProject(state, command.projectKey(), command.actor(), scope);
        requireAssignable(state, command.assignee());
        ProjectRole previous = project.roleOf(command.assignee()).orElse(null);
        if (previous == null) {
            requireAssignmentRoom(state, limits);
        }
        AssignmentResult result = new AssignmentResult(project.key(), command.assignee(), command.role(), previous);
        if (previous == command.role()) {
            return Decision.returning(result);
        }
        return Decision.returning(result, new ProjectRoleAssignedEvent(state.workspaceId(), project.key(),
                command.assignee(), command.role(), previous));
    }

    public static Decision<Void> unassign(WorkspaceState state, UnassignProjectRoleCommand command,
                                          TokenScope scope) {
        ProjectState project = requireManageableProject(state, command.projectKey(), command.actor(), scope);
        ProjectRole previous = project.roleOf(command.assignee()).orElseThrow(() -> DomainRuleException.notFound(
                "assignment-not-found", describe(command.assignee()) + " is not assigned to project '"
                        + project.key() + "'."));
        return Decision.of(new ProjectRoleRemovedEvent(state.workspaceId(), project.key(), command.assignee(),
                previous, ProjectRoleRemovalCause.UNASSIGNED));
    }

    /** The end of every project role the principal holds, for this cause (its removal, its deletion). */
    public static List<ProjectRoleRemovedEvent> removeFromAllProjects(WorkspaceState state, PrincipalRef principal,
                                                                      ProjectRoleRemovalCause cause) {
        List<ProjectRoleRemovedEvent> events = new ArrayList<>();
        state.projects().assignmentsOf(principal).forEach((key, role) ->
                events.add(new ProjectRoleRemovedEvent(state.workspaceId(), key, principal, role, cause)));
        return events;
    }

    private static Optional<ProjectAccess> accessOf(WorkspaceState state, PrincipalRef principal,
                                                    ProjectState project) {
        return ProjectAccess.resolve(principal.type(), state.members().roleOf(principal.id()).orElse(null),
                state.isActive(principal), project.visibility(), project.roleOf(principal).orElse(null));
    }

    /** The project, if the actor may know it exists ({@link ProjectAccess#isVisibleTo}); else "not found". */
    private static ProjectState requireVisibleProject(WorkspaceState state, String key, PrincipalRef actor) {
        state.requireActivePrincipal(actor);
        return state.projects().find(key)
                .filter(project -> ProjectAccess.isVisibleTo(actor.type(), accessOf(state, actor, project)))
                .orElseThrow(() -> DomainRuleException.notFound("project-not-found",
                        "Project '" + key + "' was not found in workspace '" + state.workspaceId() + "'."));
    }

    /**
     * Renaming, changing visibility and managing assignments need the owner role: explicit, or as workspace admin;
     * and, with a scoped token, a cap of owner on the project.
     */
    private static ProjectState requireManageableProject(WorkspaceState state, String key, PrincipalRef actor,
                                                         TokenScope scope) {
        ProjectState project = requireVisibleProject(state, key, actor);
        Optional<ProjectAccess> access = accessOf(state, actor, project);
        if (access.filter(a -> a.permits(ProjectPermission.MANAGE)).isEmpty()) {
            throw DomainRuleException.forbidden("project-manage-required", "Only owners of project '" + key
                    + "' and workspace admins may change it or manage who is assigned to it.");
        }
        TokenScopeRules.requirePermission(scope, key, access, ProjectPermission.MANAGE);
        return project;
    }

    /** Only a service account or user of this workspace that exists may be assigned; deactivated accounts may. */
    private static void requireAssignable(WorkspaceState state, PrincipalRef assignee) {
        if (assignee.type() == PrincipalType.SERVICE_ACCOUNT) {
            state.requireAccount(assignee.id());
        } else {
            state.requireMember(assignee.id());
        }
    }

    private static void requireAssignmentRoom(WorkspaceState state, WorkspaceLimits limits) {
        if (state.projects().assignmentCount() >= limits.assignments()) {
            throw state.limitReached("assignment-limit-reached", "explicit project assignments",
                    limits.assignments(), "Remove an assignment first.");
        }
    }
}
