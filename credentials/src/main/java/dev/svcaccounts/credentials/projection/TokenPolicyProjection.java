package dev.svcaccounts.credentials.projection;

import dev.svcaccounts.events.TokenPolicySetEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;

/**
 * Keeps {@code command_side.token_idle_policy}, the workspaces whose credential policy sets a maximum idle time, for
 * the command side's idle sweeper ({@link dev.svcaccounts.credentials.IdleTokens}). In the credentials processing
 * group, so written in the transaction of the command that sets the policy, as {@link CredentialProjection} is.
 * Idempotent: an upsert or a delete from the event alone.
 */
@Component
@ProcessingGroup(CredentialProjection.PROCESSING_GROUP)
class TokenPolicyProjection {

    private final JdbcTemplate jdbc;

    TokenPolicyProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(TokenPolicySetEvent event) {
        if (event.policy().maxIdleDays() == null) {
            jdbc.update("DELETE FROM command_side.token_idle_policy WHERE workspace_id = ?", event.workspaceId());
            return;
        }
        jdbc.update("""
                INSERT INTO command_side.token_idle_policy (workspace_id, max_idle_days, idle_counts_from)
                VALUES (?, ?, ?)
                ON CONFLICT (workspace_id) DO UPDATE
                   SET max_idle_days = EXCLUDED.max_idle_days, idle_counts_from = EXCLUDED.idle_counts_from
                """, event.workspaceId(), event.policy().maxIdleDays(),
                event.idleCountsFrom() == null ? null : Timestamp.from(event.idleCountsFrom()));
    }
}
