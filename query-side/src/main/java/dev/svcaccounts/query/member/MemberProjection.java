package dev.svcaccounts.query.member;

import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.MemberRoleChangedEvent;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.TokenExpiryShortenedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.UserAddedEvent;
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
 * The current members of each workspace, and every user's token metadata. Idempotent: an add is an upsert (a
 * removed user may be added again, and then its row starts afresh), a role change sets the role, a removal
 * deletes the row; tokens are inserted once and revoked once. Token secrets and hashes never reach these tables.
 */
@Component
@ProcessingGroup(MemberProjection.PROCESSING_GROUP)
class MemberProjection {

    static final String PROCESSING_GROUP = "members";

    private static final TokenMetadataTable TOKENS =
            new TokenMetadataTable(PrincipalType.USER, "query_side.member_token", "username");

    private final JdbcTemplate jdbc;
    private final BatchedWrites writes;

    MemberProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.writes = new BatchedWrites(jdbc);
    }

    @EventHandler
    void on(UserAddedEvent e, @Timestamp Instant at,
            @MetaDataValue(AuditMetadata.ACTOR_TYPE) String actorType,
            @MetaDataValue(AuditMetadata.ACTOR_ID) String actorId) {
        writes.update("""
                INSERT INTO query_side.member (workspace_id, username, role, added_at, added_by_type, added_by_id)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (workspace_id, username) DO UPDATE
                   SET role = EXCLUDED.role, added_at = EXCLUDED.added_at,
                       added_by_type = EXCLUDED.added_by_type, added_by_id = EXCLUDED.added_by_id
                """, e.workspaceId(), e.username(), e.role().name(), java.sql.Timestamp.from(at), actorType, actorId);
    }

    @EventHandler
    void on(MemberRoleChangedEvent e) {
        writes.update("UPDATE query_side.member SET role = ? WHERE workspace_id = ? AND username = ?",
                e.role().name(), e.workspaceId(), e.username());
    }

    @EventHandler
    void on(MemberRemovedEvent e) {
        writes.update("DELETE FROM query_side.member WHERE workspace_id = ? AND username = ?",
                e.workspaceId(), e.username());
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
        jdbc.update("DELETE FROM query_side.member_token");
        jdbc.update("DELETE FROM query_side.member");
    }
}
