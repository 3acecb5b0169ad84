package dev.svcaccounts.query;

import dev.svcaccounts.credentials.ScopeColumn;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.TokenExchange;
import dev.svcaccounts.events.TokenExpiryShortenedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevokedEvent;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * A read-model table of one kind of principal's token metadata ({@code service_account_token},
 * {@code member_token}): the same columns, written the same way, read back by {@link TokenView#from}. Never
 * the secret, never its hash (nor, for an exchanged token, the JWT: its iss, sub and jti only). Inserting a
 * token twice or revoking it twice leaves the same row.
 */
public final class TokenMetadataTable {

    private final PrincipalType ownerType;
    private final String insert;
    private final String revoke;
    private final String shorten;
    private final String succeeded;

    /** {@code ownerColumn} holds the owner's id: the service account id, or the username. */
    public TokenMetadataTable(PrincipalType ownerType, String table, String ownerColumn) {
        this.ownerType = ownerType;
        this.insert = "INSERT INTO " + table
                + " (token_id, workspace_id, " + ownerColumn
                + ", hint, description, created_at, created_by_id, expires_at, rotated_from, scope,"
                + " exchange_rule_id, exchange_issuer, exchange_subject, exchange_jti)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) ON CONFLICT (token_id) DO NOTHING";
        this.succeeded = "UPDATE " + table + " SET rotated_to = ? WHERE token_id = ?";
        this.revoke = "UPDATE " + table + " SET revoked_at = ?, revoked_reason = ? WHERE token_id = ?";
        this.shorten = "UPDATE " + table
                + " SET expires_at = ? WHERE token_id = ? AND (expires_at IS NULL OR expires_at > ?)";
    }

    /** Records the token if its owner is of this table's kind; a rotation's successor also on the token it replaces. */
    public void issued(BatchedWrites writes, TokenIssuedEvent e, Instant at, String actorId) {
        if (e.owner().type() == ownerType) {
            TokenExchange exchange = e.exchange();
            writes.update(insert, e.tokenId(), e.workspaceId(), e.owner().id(), e.hint(), e.description(),
                    Timestamp.from(at), actorId, e.expiresAt() == null ? null : Timestamp.from(e.expiresAt()),
                    e.rotatedFrom(), ScopeColumn.toJson(e.scope()),
                    exchange == null ? null : exchange.ruleId(), exchange == null ? null : exchange.issuer(),
                    exchange == null ? null : exchange.subject(), exchange == null ? null : exchange.jwtId());
            if (e.rotatedFrom() != null) {
                writes.update(succeeded, e.tokenId(), e.rotatedFrom());
            }
        }
    }

    /** Brings the token's expiry forward (never back), if its owner is of this table's kind. */
    public void expiryShortened(BatchedWrites writes, TokenExpiryShortenedEvent e) {
        if (e.owner().type() == ownerType) {
            Timestamp expiresAt = Timestamp.from(e.expiresAt());
            writes.update(shorten, expiresAt, e.tokenId(), expiresAt);
        }
    }

    /** Marks the token revoked, with why, if its owner is of this table's kind. */
    public void revoked(BatchedWrites writes, TokenRevokedEvent e, Instant at) {
        if (e.owner().type() == ownerType) {
            writes.update(revoke, Timestamp.from(at), e.cause().name().toLowerCase(), e.tokenId());
        }
    }
}
