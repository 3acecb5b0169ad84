package dev.svcaccounts.credentials.projection;

import dev.svcaccounts.credentials.ScopeColumn;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.MemberRoleChangedEvent;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.ServiceAccountReactivatedEvent;
import dev.svcaccounts.events.ServiceAccountUpdatedEvent;
import dev.svcaccounts.events.TokenExpiryShortenedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.UserAddedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * Keeps {@code auth_principal} and {@code auth_token}, the tables both sides authenticate against. It runs in
 * a subscribing processor, inside the transaction that appends the events: when a command returns, its
 * effect on credentials is committed with it, and if this projection fails the command fails as a whole.
 * Every statement is an upsert or a plain update, so handling an event twice changes nothing. Registered by
 * {@link CredentialWrites}, in the command application only.
 */
@Component
@ProcessingGroup(CredentialProjection.PROCESSING_GROUP)
class CredentialProjection {

    /** Subscribing in the command application ({@code command-side.yml}): see {@link CredentialWrites}. */
    static final String PROCESSING_GROUP = "credentials";

    private final JdbcTemplate jdbc;

    CredentialProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(UserAddedEvent event) {
        upsertPrincipal(event.workspaceId(), PrincipalType.USER, event.username(), event.username(),
                event.role().name());
    }

    @EventHandler
    void on(MemberRoleChangedEvent event) {
        jdbc.update("UPDATE command_side.auth_principal SET workspace_role = ? "
                        + "WHERE workspace_id = ? AND principal_type = 'USER' AND principal_id = ?",
                event.role().name(), event.workspaceId(), event.username());
    }

    @EventHandler
    void on(MemberRemovedEvent event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE command_side.auth_principal SET active = FALSE "
                        + "WHERE workspace_id = ? AND principal_type = 'USER' AND principal_id = ?",
                event.workspaceId(), event.username());
        revokeEveryToken(event.workspaceId(), PrincipalType.USER, event.username(),
                TokenRevocationCause.MEMBER_REMOVED, at);
    }

    @EventHandler
    void on(ServiceAccountCreatedEvent event) {
        upsertPrincipal(event.workspaceId(), PrincipalType.SERVICE_ACCOUNT, event.serviceAccountId(), event.name(),
                null);
    }

    @EventHandler
    void on(ServiceAccountUpdatedEvent event) {
        jdbc.update("UPDATE command_side.auth_principal SET display_name = ? "
                        + "WHERE workspace_id = ? AND principal_type = 'SERVICE_ACCOUNT' AND principal_id = ?",
                event.name(), event.workspaceId(), event.serviceAccountId());
    }

    @EventHandler
    void on(ServiceAccountDeactivatedEvent event, @org.axonframework.eventhandling.Timestamp Instant at) {
        setActive(event.workspaceId(), event.serviceAccountId(), false);
        revokeEveryToken(event.workspaceId(), PrincipalType.SERVICE_ACCOUNT, event.serviceAccountId(),
                TokenRevocationCause.ACCOUNT_DEACTIVATED, at);
    }

    @EventHandler
    void on(ServiceAccountReactivatedEvent event) {
        setActive(event.workspaceId(), event.serviceAccountId(), true);
    }

    @EventHandler
    void on(ServiceAccountDeletedEvent event, @org.axonframework.eventhandling.Timestamp Instant at) {
        setActive(event.workspaceId(), event.serviceAccountId(), false);
        revokeEveryToken(event.workspaceId(), PrincipalType.SERVICE_ACCOUNT, event.serviceAccountId(),
                TokenRevocationCause.ACCOUNT_DELETED, at);
    }

    @EventHandler
    void on(TokenIssuedEvent event, @org.axonframework.eventhandling.Timestamp Instant issuedAt) {
        jdbc.update("""
                INSERT INTO command_side.auth_token
                    (token_id, secret_hash, workspace_id, principal_type, principal_id, expires_at, issued_at, scope)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (token_id) DO NOTHING
                """, event.tokenId(), event.secretHash(), event.workspaceId(), event.owner().type().name(),
                event.owner().id(), event.expiresAt() == null ? null : Timestamp.from(event.expiresAt()),
                Timestamp.from(issuedAt), ScopeColumn.toJson(event.scope()));
    }

    /** Only ever earlier: handled twice, or after a later shortening, it changes nothing. */
    @EventHandler
    void on(TokenExpiryShortenedEvent event) {
        jdbc.update("UPDATE command_side.auth_token SET expires_at = ?, expiry_cause = ? "
                        + "WHERE token_id = ? AND (expires_at IS NULL OR expires_at > ?)",
                Timestamp.from(event.expiresAt()), event.cause().name(), event.tokenId(),
                Timestamp.from(event.expiresAt()));
    }

    @EventHandler
    void on(TokenRevokedEvent event, @org.axonframework.eventhandling.Timestamp Instant revokedAt) {
        jdbc.update("UPDATE command_side.auth_token SET revoked_at = ?, revocation_cause = ? "
                        + "WHERE token_id = ? AND revoked_at IS NULL",
                Timestamp.from(revokedAt), event.cause().name(), event.tokenId());
    }

    /** A user removed and added again is the same principal row, active again; its old tokens stay revoked. */
    private void upsertPrincipal(String workspaceId, PrincipalType type, String id, String name, String role) {
        jdbc.update("""
                INSERT INTO command_side.auth_principal
                    (workspace_id, principal_type, principal_id, display_name, workspace_role, active)
                VALUES (?, ?, ?, ?, ?, TRUE)
                ON CONFLICT (workspace_id, principal_type, principal_id)
                DO UPDATE SET display_name = EXCLUDED.display_name, workspace_role = EXCLUDED.workspace_role,
                              active = TRUE
                """, workspaceId, type.name(), id, name, role);
    }

    /**
     * The aggregate revokes each token it holds active, by its own clock, with its own event. This also ends
     * any token it took for expired while the database's clock did not yet, so that re-adding the user or
     * reactivating the account can never bring an old token back. A deactivation's own revocations come after
     * its event, so the cause is set here too.
     */
    private void revokeEveryToken(String workspaceId, PrincipalType type, String id, TokenRevocationCause cause,
                                  Instant at) {
        jdbc.update("UPDATE command_side.auth_token SET revoked_at = ?, revocation_cause = ? WHERE workspace_id = ? "
                        + "AND principal_type = ? AND principal_id = ? AND revoked_at IS NULL",
                Timestamp.from(at), cause.name(), workspaceId, type.name(), id);
    }

    private void setActive(String workspaceId, String serviceAccountId, boolean active) {
        jdbc.update("UPDATE command_side.auth_principal SET active = ? "
                        + "WHERE workspace_id = ? AND principal_type = 'SERVICE_ACCOUNT' AND principal_id = ?",
                active, workspaceId, serviceAccountId);
    }
}
