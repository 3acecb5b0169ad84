package dev.svcaccounts.events;

/**
 * A user or service account was assigned to a project, or its role there changed.
 *
 * @param previousRole its explicit role before, or null when it was not assigned
 */
@EventRevision("1")
public record ProjectRoleAssignedEvent(String workspaceId, String projectKey, PrincipalRef assignee, ProjectRole role,
                                       ProjectRole previousRole) implements WorkspaceEvent {
}
