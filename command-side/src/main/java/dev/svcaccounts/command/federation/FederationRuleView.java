package dev.svcaccounts.command.federation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.events.FederationRule;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;

/** A federation rule as recorded, what adding it answers: its inline keys as a JWK set of public keys. */
record FederationRuleView(String ruleId, String issuer, String jwksUri,
                          @Schema(types = {"object", "null"}) JsonNode jwks, String audience, String subject,
                          Map<String, String> claims, int maxTokenLifetimeSeconds) {

    static FederationRuleView of(FederationRule rule, ObjectMapper json) {
        try {
            return new FederationRuleView(rule.ruleId(), rule.issuer(), rule.jwksUri(),
                    rule.jwks() == null ? null : json.readTree(rule.jwks()), rule.audience(), rule.subject(),
                    rule.claims(), rule.maxTokenLifetimeSeconds());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A recorded JWK set is not JSON", e);
        }
    }
}
