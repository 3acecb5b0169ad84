package dev.svcaccounts.events;

@EventRevision("1")
public record TokenRevokedEvent(String workspaceId, String tokenId, PrincipalRef owner, TokenRevocationCause cause)
        implements WorkspaceEvent {
}
