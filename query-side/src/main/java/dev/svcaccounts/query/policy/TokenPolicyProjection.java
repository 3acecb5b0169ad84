package dev.svcaccounts.query.policy;

import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.TokenPolicy;
import dev.svcaccounts.events.TokenPolicySetEvent;
import dev.svcaccounts.query.BatchedWrites;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Each workspace's credential policy ({@code query_side.token_policy}), in the service-accounts processing group:
 * replayed and reset with the token metadata it is checked against. Idempotent: an upsert from the event alone.
 */
@Component
@ProcessingGroup("service-accounts")
class TokenPolicyProjection {

    private final JdbcTemplate jdbc;
    private final BatchedWrites writes;

    TokenPolicyProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.writes = new BatchedWrites(jdbc);
    }

    @EventHandler
    void on(TokenPolicySetEvent e, @Timestamp Instant at,
            @MetaDataValue(AuditMetadata.ACTOR_TYPE) String actorType,
            @MetaDataValue(AuditMetadata.ACTOR_ID) String actorId) {
        TokenPolicy p = e.policy();
        writes.update("""
                INSERT INTO query_side.token_policy (workspace_id, max_lifetime_days, require_expiry, max_idle_days,
                    allow_service_account_tokens, enforced, idle_counts_from, set_at, set_by_type, set_by_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (workspace_id) DO UPDATE
                   SET max_lifetime_days = EXCLUDED.max_lifetime_days, require_expiry = EXCLUDED.require_expiry,
                       max_idle_days = EXCLUDED.max_idle_days,
                       allow_service_account_tokens = EXCLUDED.allow_service_account_tokens,
                       enforced = EXCLUDED.enforced, idle_counts_from = EXCLUDED.idle_counts_from,
                       set_at = EXCLUDED.set_at, set_by_type = EXCLUDED.set_by_type, set_by_id = EXCLUDED.set_by_id
                """, e.workspaceId(), p.maxLifetimeDays(), p.requireExpiry(), p.maxIdleDays(),
                p.allowServiceAccountTokens(), e.enforce(),
                e.idleCountsFrom() == null ? null : java.sql.Timestamp.from(e.idleCountsFrom()),
                java.sql.Timestamp.from(at), actorType, actorId);
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM query_side.token_policy");
    }
}
