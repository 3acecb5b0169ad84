package dev.svcaccounts.command.federation.exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.events.FederationRuleAddedEvent;
import dev.svcaccounts.events.FederationRuleRemovedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The command side's directory of federation rules ({@code command_side.federation_rule}): which rules may trust a
 * JWT, found by its claimed issuer. In the subscribing {@code credentials} group, so written in the transaction of
 * the command that adds or removes a rule or deletes its account: a rule removed is not found by the next exchange.
 * Only a hint: the Workspace aggregate decides every exchange against its own rules again.
 */
@Component
@ProcessingGroup("credentials")
class FederationRuleDirectory {

    /** Rules one JWT is judged by at most: each costs a signature check (and perhaps a key fetch). */
    static final int MAX_CANDIDATES = 50;

    /** A rule that may trust a JWT of its issuer. */
    record Candidate(String workspaceId, String serviceAccountId, FederationRule rule) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    FederationRuleDirectory(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(FederationRuleAddedEvent event) throws JsonProcessingException {
        jdbc.update("""
                INSERT INTO command_side.federation_rule
                       (workspace_id, service_account_id, rule_id, issuer, rule)
                VALUES (?, ?, ?, ?, CAST(? AS jsonb))
                ON CONFLICT DO NOTHING
                """, event.workspaceId(), event.serviceAccountId(), event.rule().ruleId(), event.rule().issuer(),
                json.writeValueAsString(event.rule()));
    }

    @EventHandler
    void on(FederationRuleRemovedEvent event) {
        jdbc.update("DELETE FROM command_side.federation_rule "
                        + "WHERE workspace_id = ? AND service_account_id = ? AND rule_id = ?",
                event.workspaceId(), event.serviceAccountId(), event.ruleId());
    }

    @EventHandler
    void on(ServiceAccountDeletedEvent event) {
        jdbc.update("DELETE FROM command_side.federation_rule WHERE workspace_id = ? AND service_account_id = ?",
                event.workspaceId(), event.serviceAccountId());
    }

    /** The rules for this issuer, oldest first; of one account only when {@code target} names it. */
    List<Candidate> candidates(String issuer, Target target) {
        String sql = "SELECT workspace_id, service_account_id, rule FROM command_side.federation_rule WHERE issuer = ?"
                + (target == null ? "" : " AND workspace_id = ? AND service_account_id = ?")
                + " ORDER BY added LIMIT " + MAX_CANDIDATES;
        Object[] args = target == null ? new Object[] {issuer}
                : new Object[] {issuer, target.workspaceId(), target.serviceAccountId()};
        return jdbc.query(sql, (rs, row) -> new Candidate(rs.getString(1), rs.getString(2),
                read(rs.getString(3))), args);
    }

    /** Whether any rule trusts this issuer at all. */
    boolean knowsIssuer(String issuer) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM command_side.federation_rule WHERE issuer = ?)", Boolean.class, issuer));
    }

    private FederationRule read(String rule) {
        try {
            return json.readValue(rule, FederationRule.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable federation rule in command_side.federation_rule", e);
        }
    }
}
