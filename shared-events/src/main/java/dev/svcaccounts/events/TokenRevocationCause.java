package dev.svcaccounts.events;

/** Why a token stopped working before its expiry. */
public enum TokenRevocationCause {
    /** Revoked on its own, by an admin or (for a user's token) its user. */
    REVOKED,
    /** Its service account was deactivated; reactivation issues a fresh token instead. */
    ACCOUNT_DEACTIVATED,
    /** Its service account was deleted. */
    ACCOUNT_DELETED,
    /** Its user was removed from the workspace. */
    MEMBER_REMOVED,
    /** Unused for longer than the workspace's credential policy allows ({@code maxIdleDays}). */
    IDLE,
    /** Reported as leaked to {@code POST /v1/credentials/revoke}, by anyone who found it. */
    LEAKED,
    /** Older than the workspace's credential policy allows, when that policy was enforced on existing tokens. */
    POLICY_MAX_LIFETIME
}
