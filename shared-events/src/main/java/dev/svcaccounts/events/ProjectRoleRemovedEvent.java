package dev.svcaccounts.events;

/** An assignment to a project ended, with the role it gave and why it ended. */
@EventRevision("1")
public record ProjectRoleRemovedEvent(String workspaceId, String projectKey, PrincipalRef assignee,
                                      ProjectRole previousRole, ProjectRoleRemovalCause cause)
        implements WorkspaceEvent {
}
