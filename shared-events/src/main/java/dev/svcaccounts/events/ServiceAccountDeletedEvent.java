package dev.svcaccounts.events;

/** Frees the account's name and its place in the quota; its history stays in the event store. */
@EventRevision("1")
public record ServiceAccountDeletedEvent(String workspaceId, String serviceAccountId, String name)
        implements WorkspaceEvent {
}
