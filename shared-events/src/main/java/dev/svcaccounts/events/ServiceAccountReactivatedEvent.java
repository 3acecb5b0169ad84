package dev.svcaccounts.events;

/** Followed, in the same commit, by the {@link TokenIssuedEvent} of the account's fresh token. */
@EventRevision("1")
public record ServiceAccountReactivatedEvent(String workspaceId, String serviceAccountId) implements WorkspaceEvent {
}
