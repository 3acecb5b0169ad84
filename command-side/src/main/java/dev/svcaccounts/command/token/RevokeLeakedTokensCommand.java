package dev.svcaccounts.command.token;

import dev.svcaccounts.command.common.WithoutPrincipal;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Revoke these tokens of one workspace, reported as leaked by someone who found their secrets. Sent without a
 * principal: whoever holds a token's secret may end it (GitHub's credential revocation API does the same).
 */
public record RevokeLeakedTokensCommand(@TargetAggregateIdentifier String workspaceId, List<String> tokenIds)
        implements WithoutPrincipal {

    public RevokeLeakedTokensCommand {
        tokenIds = List.copyOf(tokenIds);
    }
}
