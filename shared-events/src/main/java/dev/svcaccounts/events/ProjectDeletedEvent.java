package dev.svcaccounts.events;

/** Every assignment to the project ends with it; its key may later be used for a new project. */
@EventRevision("1")
public record ProjectDeletedEvent(String workspaceId, String projectKey, String name) implements WorkspaceEvent {
}
