package dev.svcaccounts.events;

/**
 * A request was refused: a write answered 403, or a request carrying a token that once worked (revoked, expired,
 * or its account deactivated, deleted or removed) answered 401. Who tried is in the metadata, as for every
 * event. Not part of the Workspace aggregate's stream: it is appended on its own, so recording a refusal never
 * competes with the workspace's commands, and it changes no state.
 *
 * @param rule       the rule that refused it: the problem type's code (e.g. {@code not-workspace-admin}) for a
 *                   403, or why the token no longer works (e.g. {@code token-revoked}) for a 401
 * @param status     the HTTP status answered, 401 or 403
 * @param targetType what the request was aimed at: workspace, service_account, token, user or project
 * @param targetId   its id (for a workspace, the workspace id)
 */
@EventRevision("1")
public record AccessRefusedEvent(String workspaceId, String rule, int status, String method, String path,
                                 String targetType, String targetId, String detail) implements WorkspaceEvent {
}
