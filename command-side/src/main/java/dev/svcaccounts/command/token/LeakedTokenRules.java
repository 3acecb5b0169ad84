package dev.svcaccounts.command.token;

import dev.svcaccounts.command.workspace.Decision;
import dev.svcaccounts.command.workspace.WorkspaceState;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;

import java.time.Instant;
import java.util.LinkedHashSet;

/**
 * Tokens reported as leaked: each one still working when the workspace decides is revoked with cause
 * {@link TokenRevocationCause#LEAKED}, like any revocation (instant on both sides, in the owner workspace's trail).
 * Nothing is refused: a token revoked or expired meanwhile, or unknown to the workspace, is passed over, for the
 * reporter gets the same answer whatever its tokens were.
 */
public final class LeakedTokenRules {

    private LeakedTokenRules() {
    }

    public static Decision<Void> revoke(WorkspaceState state, RevokeLeakedTokensCommand command, Instant now) {
        return Decision.of(new LinkedHashSet<>(command.tokenIds()).stream()
                .flatMap(tokenId -> state.tokens().find(tokenId)
                        .filter(token -> token.isActiveAt(now))
                        .map(token -> new TokenRevokedEvent(state.workspaceId(), tokenId, token.owner(),
                                TokenRevocationCause.LEAKED))
                        .stream())
                .toList());
    }
}
