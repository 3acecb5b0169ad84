package dev.svcaccounts.credentials;

import java.time.Instant;

/** A token that works right now, with whose it is. Times are null for the operator credential. */
public record ActiveToken(AuthenticatedPrincipal principal, Instant issuedAt, Instant expiresAt) {
}
