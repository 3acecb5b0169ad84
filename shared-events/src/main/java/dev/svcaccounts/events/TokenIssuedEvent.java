package dev.svcaccounts.events;

import java.time.Instant;

/**
 * A token was issued to a user or a service account. Only the SHA-256 hash of the secret and a
 * non-secret hint (its last four characters) are kept; {@code expiresAt} is null for no expiry.
 *
 * @param scope       the most it may do, narrower than its owner; null for its owner's full access (and in every
 *                    event recorded before scopes existed)
 * @param rotatedFrom the token this one replaces by a rotation, whose expiry the same commit brings forward; null
 *                    otherwise
 * @param exchange    how it was obtained by a token exchange (a short-lived token for an external identity's JWT);
 *                    null for a token issued otherwise
 */
@EventRevision("1")
public record TokenIssuedEvent(String workspaceId, String tokenId, PrincipalRef owner,
                               String secretHash, String hint, String description, Instant expiresAt,
                               TokenScope scope, String rotatedFrom, TokenExchange exchange)
        implements WorkspaceEvent {

    /** Not from an exchange. */
    public TokenIssuedEvent(String workspaceId, String tokenId, PrincipalRef owner, String secretHash, String hint,
                            String description, Instant expiresAt, TokenScope scope, String rotatedFrom) {
        this(workspaceId, tokenId, owner, secretHash, hint, description, expiresAt, scope, rotatedFrom, null);
    }

    /** A token with its owner's full access, not from a rotation. */
    public TokenIssuedEvent(String workspaceId, String tokenId, PrincipalRef owner, String secretHash, String hint,
                            String description, Instant expiresAt) {
        this(workspaceId, tokenId, owner, secretHash, hint, description, expiresAt, null, null, null);
    }
}
