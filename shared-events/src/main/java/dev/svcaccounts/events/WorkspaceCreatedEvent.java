package dev.svcaccounts.events;

@EventRevision("1")
public record WorkspaceCreatedEvent(String workspaceId, String name) implements WorkspaceEvent {
}
