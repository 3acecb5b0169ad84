package dev.svcaccounts.query.compliance;

import java.time.Instant;
import java.util.List;

/**
 * A working token (not revoked, not expired) with whose it is and when it was last used; never the secret.
 * {@code lastUsedAt} is exact to about a minute and trails by up to the flush interval (see TokenUsageRecorder).
 *
 * @param ownerStatus a service account's status ({@code active}, {@code deactivated}); {@code active} for a user
 * @param neverUsed   no use recorded since the token was issued
 * @param policyViolations the rules of the workspace's credential policy it breaks ({@link PolicyViolations}), empty
 *                    when it follows them all
 */
record ComplianceTokenView(String id, String hint, Owner owner, String ownerStatus, String description,
                           Instant createdAt, Instant expiresAt, Instant lastUsedAt, String lastUsedIp,
                           boolean neverUsed, List<String> policyViolations) {

    ComplianceTokenView withPolicyViolations(List<String> violations) {
        return new ComplianceTokenView(id, hint, owner, ownerStatus, description, createdAt, expiresAt, lastUsedAt,
                lastUsedIp, neverUsed, List.copyOf(violations));
    }

    /** {@code type} is user or service_account; a user's id and name are its username. */
    record Owner(String type, String id, String name) {
    }
}
