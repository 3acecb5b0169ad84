package dev.svcaccounts.command.token;

import dev.svcaccounts.events.TokenScope;

import java.time.Instant;

/**
 * What a rotation decided: the new token's description, scope and expiry (copied or derived from the old token's),
 * and when the old one stops working.
 *
 * @param expiresAt            the new token's expiry, null for none
 * @param rotatedFromExpiresAt the old token's expiry after the rotation: the end of the overlap, or its own earlier
 *                             expiry
 */
public record Rotation(String tokenId, String description, TokenScope scope, Instant expiresAt, String rotatedFrom,
                       Instant rotatedFromExpiresAt) {
}
