package dev.svcaccounts.events;

/**
 * Every event of a workspace: the whole vocabulary of the command side in one list. All but
 * {@link AccessRefusedEvent}, {@link AccessRefusalsNotRecordedEvent} and {@link TokenExchangeRefusedEvent} belong
 * to the Workspace aggregate's stream.
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
        TokenExpiryShortenedEvent,
        TokenPolicySetEvent,
        FederationRuleAddedEvent,
        FederationRuleRemovedEvent,
        MemberRoleChangedEvent,
        MemberRemovedEvent,
        ProjectCreatedEvent,
        ProjectRenamedEvent,
        ProjectVisibilityChangedEvent,
        ProjectDeletedEvent,
        ProjectRoleAssignedEvent,
        ProjectRoleRemovedEvent,
        AccessRefusedEvent,
        AccessRefusalsNotRecordedEvent,
        TokenExchangeRefusedEvent {

    String workspaceId();
}
