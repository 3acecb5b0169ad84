package dev.svcaccounts.events;

/** Followed by a {@link ProjectRoleAssignedEvent} that makes the creator its owner. */
@EventRevision("1")
public record ProjectCreatedEvent(String workspaceId, String projectKey, String name, ProjectVisibility visibility,
                                  PrincipalRef createdBy) implements WorkspaceEvent {
}
