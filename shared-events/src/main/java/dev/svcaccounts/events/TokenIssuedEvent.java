package dev.svcaccounts.events;

import java.time.Instant;

/**
 * A token was issued to a user or a service account. Only the SHA-256 hash of the secret and a
 * non-secret hint (its last four characters) are kept; {@code expiresAt} is null for no expiry.
 */
@EventRevision("1")
public record TokenIssuedEvent(String workspaceId, String tokenId, PrincipalRef owner,
                               String secretHash, String hint, String description, Instant expiresAt)
        implements WorkspaceEvent {
}
