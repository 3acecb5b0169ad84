package dev.svcaccounts.query.serviceaccount;

import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.ServiceAccountReactivatedEvent;
import dev.svcaccounts.events.ServiceAccountUpdatedEvent;
import dev.svcaccounts.events.TokenExpiryShortenedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.query.BatchedWrites;
import dev.svcaccounts.query.TokenMetadataTable;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Service accounts and their token metadata, as admins list them. Idempotent: every statement sets state
 * from the event alone (upserts, or updates guarded by the state they leave), so a batch retried after a
 * crash, or a replay, ends in the same rows. Token secrets and hashes never reach these tables.
 */
@Component
@ProcessingGroup(ServiceAccountProjection.PROCESSING_GROUP)
class ServiceAccountProjection {

    static final String PROCESSING_GROUP = "service-accounts";

    private static final TokenMetadataTable TOKENS = new TokenMetadataTable(
            PrincipalType.SERVICE_ACCOUNT, "query_side.service_account_token", "service_account_id");

    private final JdbcTemplate jdbc;
    private final BatchedWrites writes;

    ServiceAccountProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.writes = new BatchedWrites(jdbc);
    }

    @EventHandler
    void on(ServiceAccountCreatedEvent e, @Timestamp Instant at,
            @MetaDataValue(AuditMetadata.ACTOR_TYPE) String actorType,
            @MetaDataValue(AuditMetadata.ACTOR_ID) String actorId) {
        writes.update("""
                INSERT INTO query_side.service_account
                    (workspace_id, id, name, description, status,
                     created_at, created_by_type, created_by_id, updated_at)
                VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?)
                ON CONFLICT (workspace_id, id) DO NOTHING
                """, e.workspaceId(), e.serviceAccountId(), e.name(), e.description(), ts(at), actorType, actorId,
                ts(at));
    }

    @EventHandler
    void on(ServiceAccountUpdatedEvent e, @Timestamp Instant at) {
        writes.update("UPDATE query_side.service_account SET name = ?, description = ?, updated_at = ? "
                + "WHERE workspace_id = ? AND id = ?",
                e.name(), e.description(), ts(at), e.workspaceId(), e.serviceAccountId());
    }

    @EventHandler
    void on(ServiceAccountDeactivatedEvent e, @Timestamp Instant at) {
        writes.update("UPDATE query_side.service_account SET status = 'deactivated', deactivated_at = ?, "
                        + "deactivation_reason = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                ts(at), e.reason(), ts(at), e.workspaceId(), e.serviceAccountId());
    }

    @EventHandler
    void on(ServiceAccountReactivatedEvent e, @Timestamp Instant at) {
        writes.update("UPDATE query_side.service_account SET status = 'active', deactivated_at = NULL, "
                        + "deactivation_reason = NULL, updated_at = ? WHERE workspace_id = ? AND id = ?",
                ts(at), e.workspaceId(), e.serviceAccountId());
    }

    @EventHandler
    void on(ServiceAccountDeletedEvent e, @Timestamp Instant at) {
        writes.update("UPDATE query_side.service_account SET status = 'deleted', deleted_at = ?, updated_at = ? "
                + "WHERE workspace_id = ? AND id = ?", ts(at), ts(at), e.workspaceId(), e.serviceAccountId());
    }

    @EventHandler
    void on(TokenIssuedEvent e, @Timestamp Instant at, @MetaDataValue(AuditMetadata.ACTOR_ID) String actorId) {
        TOKENS.issued(writes, e, at, actorId);
    }

    @EventHandler
    void on(TokenExpiryShortenedEvent e) {
        TOKENS.expiryShortened(writes, e);
    }

    @EventHandler
    void on(TokenRevokedEvent e, @Timestamp Instant at) {
        TOKENS.revoked(writes, e, at);
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM query_side.service_account_token");
        jdbc.update("DELETE FROM query_side.service_account");
    }

    private static java.sql.Timestamp ts(Instant instant) {
        return java.sql.Timestamp.from(instant);
    }
}
