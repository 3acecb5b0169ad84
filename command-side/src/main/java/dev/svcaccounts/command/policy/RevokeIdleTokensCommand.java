package dev.svcaccounts.command.policy;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

/**
 * Sent by the {@link IdleTokenSweeper}: revoke these tokens of the workspace if they are idle. The aggregate decides
 * each again on its own state (still working, the policy still sets a maximum idle time and it has passed), so a
 * token already revoked, by another node's sweep or anyone else, is left alone.
 */
public record RevokeIdleTokensCommand(@TargetAggregateIdentifier String workspaceId, List<Candidate> tokens) {

    public RevokeIdleTokensCommand {
        tokens = List.copyOf(tokens);
    }

    /** @param lastUsedAt its last recorded use, null if none was recorded */
    public record Candidate(String tokenId, Instant lastUsedAt) {
    }
}
