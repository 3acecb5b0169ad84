package dev.svcaccounts.events;

/** Why a token's expiry was brought forward after it was issued ({@link TokenExpiryShortenedEvent}). */
public enum TokenExpiryCause {
    /** It was rotated: it works until the end of the overlap, then only its successor does. */
    ROTATED,
    /** The workspace's credential policy, enforced on existing tokens, caps its lifetime. */
    POLICY_MAX_LIFETIME
}
