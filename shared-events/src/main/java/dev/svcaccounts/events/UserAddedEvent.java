package dev.svcaccounts.events;

@EventRevision("1")
public record UserAddedEvent(String workspaceId, String username, WorkspaceRole role) implements WorkspaceEvent {
}
