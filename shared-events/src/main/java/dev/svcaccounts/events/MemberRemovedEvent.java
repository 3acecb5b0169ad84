package dev.svcaccounts.events;

/**
 * The user left the workspace. Its tokens were revoked and its project roles removed just before, by their own
 * events.
 */
@EventRevision("1")
public record MemberRemovedEvent(String workspaceId, String username, WorkspaceRole previousRole)
        implements WorkspaceEvent {
}
