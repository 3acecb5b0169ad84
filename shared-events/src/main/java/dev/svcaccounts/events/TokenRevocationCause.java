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
    MEMBER_REMOVED
}
