package dev.svcaccounts.events;

@EventRevision("1")
public record ProjectVisibilityChangedEvent(String workspaceId, String projectKey, ProjectVisibility visibility,
                                            ProjectVisibility previousVisibility) implements WorkspaceEvent {
}
