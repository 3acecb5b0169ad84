package dev.svcaccounts.events;

/**
 * A federation rule was deleted: from then on no JWT is exchanged by it. Tokens it gave keep working until they
 * expire or are revoked (deleting the account, or revoking them, ends them at once).
 */
@EventRevision("1")
public record FederationRuleRemovedEvent(String workspaceId, String serviceAccountId, String ruleId)
        implements WorkspaceEvent {
}
