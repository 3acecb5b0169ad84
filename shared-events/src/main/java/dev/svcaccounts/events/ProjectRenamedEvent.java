package dev.svcaccounts.events;

@EventRevision("1")
public record ProjectRenamedEvent(String workspaceId, String projectKey, String name, String previousName)
        implements WorkspaceEvent {
}
