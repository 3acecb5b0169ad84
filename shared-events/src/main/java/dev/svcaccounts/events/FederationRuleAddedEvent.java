package dev.svcaccounts.events;

/**
 * A workspace admin let an external identity's JWT be exchanged for a token of a service account
 * ({@link FederationRule}).
 */
@EventRevision("1")
public record FederationRuleAddedEvent(String workspaceId, String serviceAccountId, FederationRule rule)
        implements WorkspaceEvent {
}
