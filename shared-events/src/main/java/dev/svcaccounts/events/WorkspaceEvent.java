package dev.svcaccounts.events;

/**
 * Every event of the Workspace aggregate: the whole vocabulary of the command side in one list.
 * Events never carry a token secret; a token appears only as its id, SHA-256 hash and hint.
 */
public sealed interface WorkspaceEvent permits
        WorkspaceCreatedEvent,
        UserAddedEvent,
        ServiceAccountCreatedEvent,
        ServiceAccountUpdatedEvent,
        ServiceAccountDeactivatedEvent,
        ServiceAccountReactivatedEvent,
        ServiceAccountDeletedEvent,
        TokenIssuedEvent,
        TokenRevokedEvent,
        MemberRoleChangedEvent,
        MemberRemovedEvent,
        ProjectCreatedEvent,
        ProjectRenamedEvent,
        ProjectVisibilityChangedEvent,
        ProjectDeletedEvent,
        ProjectRoleAssignedEvent,
        ProjectRoleRemovedEvent {

    String workspaceId();
}
