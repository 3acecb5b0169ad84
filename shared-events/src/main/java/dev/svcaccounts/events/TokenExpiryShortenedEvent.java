package dev.svcaccounts.events;

import java.time.Instant;

/**
 * A working token's expiry was brought forward to {@code expiresAt} (never later than it was): at the end of a
 * rotation's overlap, or to the most a newly enforced credential policy allows. Once that instant has passed the token
 * is refused as its cause says ({@link TokenRefusal#of}).
 */
@EventRevision("1")
public record TokenExpiryShortenedEvent(String workspaceId, String tokenId, PrincipalRef owner, Instant expiresAt,
                                        Instant previousExpiresAt, TokenExpiryCause cause)
        implements WorkspaceEvent {
}
