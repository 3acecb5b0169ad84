package dev.svcaccounts.infra.idempotency;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;

/**
 * Whose key it is: keys are per principal, as the draft suggests, so another principal's equal key is another key.
 * A user is a user of one workspace (usernames recur across workspaces); the operator has none ({@code ""}).
 */
public record KeyScope(String workspaceId, String principalType, String principalId) {

    public static KeyScope of(AuthenticatedPrincipal principal) {
        return new KeyScope(principal.workspaceId() == null ? "" : principal.workspaceId(), principal.type().name(),
                principal.id());
    }

    /** The text PostgreSQL hashes into the advisory lock of one key. */
    String lockText(IdempotencyKey key) {
        return workspaceId + '\n' + principalType + '\n' + principalId + '\n' + key.value();
    }
}
