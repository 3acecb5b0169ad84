package dev.svcaccounts.events;

import java.time.Instant;
import java.util.Optional;

/**
 * Why a token that once worked is refused now: the rule (the problem code and the {@code access.refused} rule) and
 * a detail naming it. One definition for the Workspace aggregate, which refuses a command whose token ended while
 * it was on its way, and for the authentication of both sides, which records a refused former token.
 */
public record TokenRefusal(String rule, String detail) {

    public static final String TOKEN_REVOKED = "token-revoked";
    public static final String TOKEN_EXPIRED = "token-expired";
    public static final String ACCOUNT_DEACTIVATED = "account-deactivated";
    public static final String ACCOUNT_DELETED = "account-deleted";
    public static final String MEMBER_REMOVED = "member-removed";
    public static final String TOKEN_ROTATED = "token-rotated";
    public static final String TOKEN_LEAKED = "token-leaked";
    public static final String POLICY_MAX_LIFETIME = "policy-max-lifetime";
    public static final String POLICY_IDLE = "policy-idle";

    /**
     * Which rule refuses a token at {@code now}; empty when it works. Whatever ended it first counts: a token that
     * had expired before its account was deactivated is refused as expired.
     *
     * @param revokedAt   when it was revoked, null if never
     * @param cause       why it was revoked (null counts as {@link TokenRevocationCause#REVOKED})
     * @param expiresAt   its expiry, null for none
     * @param expiryCause why that expiry was brought forward after the token was issued, null if it never was
     * @param ownerActive whether its user is a member, or its service account active, now
     */
    public static Optional<TokenRefusal> of(Instant now, Instant revokedAt, TokenRevocationCause cause,
                                            Instant expiresAt, TokenExpiryCause expiryCause, boolean ownerActive,
                                            PrincipalType ownerType) {
        boolean expired = expiresAt != null && !expiresAt.isAfter(now);
        if (revokedAt != null && !(expired && expiresAt.isBefore(revokedAt))) {
            return Optional.of(revoked(cause == null ? TokenRevocationCause.REVOKED : cause, revokedAt));
        }
        if (expired) {
            return Optional.of(expired(expiryCause, expiresAt));
        }
        if (!ownerActive) {
            // its tokens are revoked with it, so this is only a token missed by that: refused all the same
            return Optional.of(ownerType == PrincipalType.USER
                    ? new TokenRefusal(MEMBER_REMOVED, "The token's user was removed from the workspace.")
                    : new TokenRefusal(ACCOUNT_DEACTIVATED, "The token's service account is not active."));
        }
        return Optional.empty();
    }

    private static TokenRefusal revoked(TokenRevocationCause cause, Instant at) {
        return switch (cause) {
            case REVOKED -> new TokenRefusal(TOKEN_REVOKED, "The token was revoked at " + at + ".");
            case ACCOUNT_DEACTIVATED -> new TokenRefusal(ACCOUNT_DEACTIVATED,
                    "The token's service account was deactivated at " + at + ".");
            case ACCOUNT_DELETED -> new TokenRefusal(ACCOUNT_DELETED,
                    "The token's service account was deleted at " + at + ".");
            case MEMBER_REMOVED -> new TokenRefusal(MEMBER_REMOVED,
                    "The token's user was removed from the workspace at " + at + ".");
            case IDLE -> new TokenRefusal(POLICY_IDLE, "The token was revoked at " + at
                    + " for going unused longer than the workspace's credential policy allows.");
            case LEAKED -> new TokenRefusal(TOKEN_LEAKED,
                    "The token was reported as leaked and revoked at " + at + ".");
            case POLICY_MAX_LIFETIME -> new TokenRefusal(POLICY_MAX_LIFETIME, "The token was revoked at " + at
                    + ": it is older than the workspace's credential policy allows.");
        };
    }

    private static TokenRefusal expired(TokenExpiryCause cause, Instant at) {
        if (cause == null) {
            return new TokenRefusal(TOKEN_EXPIRED, "The token expired at " + at + ".");
        }
        return switch (cause) {
            case ROTATED -> new TokenRefusal(TOKEN_ROTATED,
                    "The token was rotated; its overlap with its successor ended at " + at + ".");
            case POLICY_MAX_LIFETIME -> new TokenRefusal(POLICY_MAX_LIFETIME, "The token expired at " + at
                    + ", the most the workspace's credential policy allows.");
        };
    }
}
