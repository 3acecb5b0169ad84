package dev.svcaccounts.query.serviceaccount;

import java.time.Instant;

/** Token metadata: never the secret, never its hash. {@code status} is active, expired or revoked. */
record TokenView(String id, String hint, String description, String status, Instant createdAt, String createdBy,
                 Instant expiresAt, Instant revokedAt, String revokedReason) {
}
