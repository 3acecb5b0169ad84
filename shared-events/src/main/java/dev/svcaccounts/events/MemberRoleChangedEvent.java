package dev.svcaccounts.events;

@EventRevision("1")
public record MemberRoleChangedEvent(String workspaceId, String username, WorkspaceRole role,
                                     WorkspaceRole previousRole) implements WorkspaceEvent {
}
