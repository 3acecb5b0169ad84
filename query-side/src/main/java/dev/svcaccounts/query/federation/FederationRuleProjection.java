package dev.svcaccounts.query.federation;

import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.events.FederationRuleAddedEvent;
import dev.svcaccounts.events.FederationRuleRemovedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
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
 * The federation rules in force ({@code query_side.federation_rule}), in the service-accounts processing group:
 * replayed and reset with the accounts they belong to. Idempotent: an insert that keeps an existing row, deletes.
 */
@Component
@ProcessingGroup("service-accounts")
class FederationRuleProjection {

    private final JdbcTemplate jdbc;
    private final BatchedWrites writes;

    FederationRuleProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.writes = new BatchedWrites(jdbc);
    }

    @EventHandler
    void on(FederationRuleAddedEvent e, @Timestamp Instant at,
            @MetaDataValue(AuditMetadata.ACTOR_TYPE) String actorType,
            @MetaDataValue(AuditMetadata.ACTOR_ID) String actorId) {
        FederationRule rule = e.rule();
        writes.update("""
                INSERT INTO query_side.federation_rule (workspace_id, rule_id, service_account_id, issuer, jwks_uri,
                    jwks, audience, subject, claims, max_token_lifetime_seconds, created_at, created_by_type,
                    created_by_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)
                ON CONFLICT (workspace_id, rule_id) DO NOTHING
                """, e.workspaceId(), rule.ruleId(), e.serviceAccountId(), rule.issuer(), rule.jwksUri(), rule.jwks(),
                rule.audience(), rule.subject(), FederationRuleView.claimsJson(rule.claims()),
                rule.maxTokenLifetimeSeconds(), java.sql.Timestamp.from(at), actorType, actorId);
    }

    @EventHandler
    void on(FederationRuleRemovedEvent e) {
        writes.update("DELETE FROM query_side.federation_rule WHERE workspace_id = ? AND rule_id = ?",
                e.workspaceId(), e.ruleId());
    }

    /** A deleted account's rules go with it, as the aggregate forgets them. */
    @EventHandler
    void on(ServiceAccountDeletedEvent e) {
        writes.update("DELETE FROM query_side.federation_rule WHERE workspace_id = ? AND service_account_id = ?",
                e.workspaceId(), e.serviceAccountId());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM query_side.federation_rule");
    }
}
