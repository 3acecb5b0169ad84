package dev.svcaccounts.query.policy;

import dev.svcaccounts.events.TokenPolicy;
import dev.svcaccounts.query.PrincipalView;

import java.time.Instant;

/**
 * A workspace's credential policy as {@code GET .../policies/tokens} shows it.
 *
 * @param enforced       whether the change that set it was enforced on the tokens existing then
 * @param idleCountsFrom with {@code maxIdleDays}: a token's idle time counts from its last use (or issue) but not
 *                       before this instant; null when counted from the last use however old (an enforced policy)
 * @param setAt          when it was set; null for the default policy, never set
 * @param setBy          who set it; null for the default policy
 */
public record TokenPolicyView(Integer maxLifetimeDays, boolean requireExpiry, Integer maxIdleDays,
                              boolean allowServiceAccountTokens, boolean enforced, Instant idleCountsFrom,
                              Instant setAt, PrincipalView setBy) {

    /** A workspace that never set a policy: nothing required, everything allowed. */
    public static final TokenPolicyView DEFAULT = new TokenPolicyView(null, false, null, true, false, null, null,
            null);

    public static TokenPolicyView of(TokenPolicy policy, boolean enforced, Instant idleCountsFrom, Instant setAt,
                                     PrincipalView setBy) {
        return new TokenPolicyView(policy.maxLifetimeDays(), policy.requireExpiry(), policy.maxIdleDays(),
                policy.allowServiceAccountTokens(), enforced, idleCountsFrom, setAt, setBy);
    }
}
