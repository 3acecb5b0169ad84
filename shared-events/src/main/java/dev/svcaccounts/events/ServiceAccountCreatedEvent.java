package dev.svcaccounts.events;

@EventRevision("1")
public record ServiceAccountCreatedEvent(String workspaceId, String serviceAccountId, String name, String description)
        implements WorkspaceEvent {
}
