package dev.svcaccounts.command.policy;

import dev.svcaccounts.events.TokenPolicy;

/**
 * What setting a policy recorded: the policy now in force and what its enforcement did to existing tokens.
 *
 * @param revokedTokens   tokens already older than the maximum lifetime, revoked
 * @param shortenedTokens tokens whose expiry was brought forward to their issue plus the maximum lifetime
 */
public record PolicyDecision(TokenPolicy policy, boolean enforced, int revokedTokens, int shortenedTokens) {
}
