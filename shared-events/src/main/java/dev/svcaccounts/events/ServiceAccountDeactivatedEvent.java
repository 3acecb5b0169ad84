package dev.svcaccounts.events;

/** Followed, in the same commit, by a {@link TokenRevokedEvent} for each of the account's live tokens. */
@EventRevision("1")
public record ServiceAccountDeactivatedEvent(String workspaceId, String serviceAccountId, String reason)
        implements WorkspaceEvent {
}
