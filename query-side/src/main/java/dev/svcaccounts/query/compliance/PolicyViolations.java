package dev.svcaccounts.query.compliance;

import dev.svcaccounts.query.policy.TokenPolicyView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which rules of the workspace's credential policy a working token breaks, by the codes of their refusals:
 * {@code policy-max-lifetime} (it expires later than its issue plus the maximum lifetime, or never),
 * {@code policy-require-expiry} (it never expires), {@code policy-idle} (unused, or never used since its issue, for
 * longer than the maximum idle time: the sweeper revokes it once the period also counts from the policy's
 * {@code idleCountsFrom}), {@code policy-service-account-tokens} (a service account's token where they are no longer
 * allowed). Tokens issued under the policy follow it; those issued before it may not, until it is enforced.
 */
final class PolicyViolations {

    private PolicyViolations() {
    }

    static List<String> of(ComplianceTokenView token, TokenPolicyView policy, Instant now) {
        List<String> broken = new ArrayList<>();
        if (policy.maxLifetimeDays() != null && (token.expiresAt() == null || token.expiresAt()
                .isAfter(token.createdAt().plus(Duration.ofDays(policy.maxLifetimeDays()))))) {
            broken.add("policy-max-lifetime");
        }
        if (policy.requireExpiry() && token.expiresAt() == null) {
            broken.add("policy-require-expiry");
        }
        if (policy.maxIdleDays() != null) {
            Instant lastActive = token.lastUsedAt() != null ? token.lastUsedAt() : token.createdAt();
            if (!lastActive.plus(Duration.ofDays(policy.maxIdleDays())).isAfter(now)) {
                broken.add("policy-idle");
            }
        }
        if (!policy.allowServiceAccountTokens() && "service_account".equals(token.owner().type())) {
            broken.add("policy-service-account-tokens");
        }
        return broken;
    }
}
