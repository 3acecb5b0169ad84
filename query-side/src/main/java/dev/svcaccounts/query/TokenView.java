package dev.svcaccounts.query;

import dev.svcaccounts.credentials.ScopeColumn;
import dev.svcaccounts.events.TokenScope;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/**
 * Token metadata: never the secret, never its hash. {@code status} is active, expired or revoked.
 *
 * @param scope       the token's cap, project key to maximum role, null for its owner's full access
 * @param rotatedFrom the token this one replaced by a rotation, null if it was not issued by one
 * @param rotatedTo   the token that replaced this one by a rotation, null if it was never rotated
 * @param exchange    how the token was obtained by a token exchange, null if it was not
 */
public record TokenView(String id, String hint, String description, String status, Instant createdAt, String createdBy,
                        Instant expiresAt, Instant revokedAt, String revokedReason, Map<String, String> scope,
                        String rotatedFrom, String rotatedTo, TokenExchangeView exchange) {

    /** From a row of a token read model (columns token_id, hint, description, created_at, ...), as of {@code now}. */
    public static TokenView from(ResultSet rs, Instant now) throws SQLException {
        Instant expiresAt = instant(rs, "expires_at");
        Instant revokedAt = instant(rs, "revoked_at");
        return new TokenView(rs.getString("token_id"), rs.getString("hint"), rs.getString("description"),
                status(expiresAt, revokedAt, now),
                instant(rs, "created_at"), rs.getString("created_by_id"), expiresAt, revokedAt,
                rs.getString("revoked_reason"), TokenScope.wireNames(ScopeColumn.fromJson(rs.getString("scope"))),
                rs.getString("rotated_from"), rs.getString("rotated_to"), TokenExchangeView.from(rs));
    }

    /** active, expired or revoked, as of {@code now}. */
    public static String status(Instant expiresAt, Instant revokedAt, Instant now) {
        return revokedAt != null ? "revoked" : expiresAt != null && !expiresAt.isAfter(now) ? "expired" : "active";
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
