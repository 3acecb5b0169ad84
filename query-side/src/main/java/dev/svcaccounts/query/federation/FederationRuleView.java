package dev.svcaccounts.query.federation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.query.PrincipalView;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A federation rule in force: which JWTs may be exchanged for tokens of the account. Public keys only ({@code jwks},
 * the inline JWK set, or null when the issuer's keys are fetched from {@code jwksUri}).
 *
 * @param claims    claims the JWT must carry with exactly these values, by name
 * @param createdBy who added it
 */
public record FederationRuleView(String ruleId, String issuer, String jwksUri,
                                 @Schema(types = {"object", "null"}) JsonNode jwks, String audience, String subject,
                                 Map<String, String> claims, int maxTokenLifetimeSeconds, Instant createdAt,
                                 PrincipalView createdBy) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public FederationRuleView {
        claims = claims == null ? Map.of() : new TreeMap<>(claims);
    }

    /** The rule as its event recorded it, added at {@code createdAt} by {@code createdBy}. */
    public static FederationRuleView of(FederationRule rule, Instant createdAt, PrincipalView createdBy) {
        return new FederationRuleView(rule.ruleId(), rule.issuer(), rule.jwksUri(), jwks(rule.jwks()),
                rule.audience(), rule.subject(), rule.claims(), rule.maxTokenLifetimeSeconds(), createdAt, createdBy);
    }

    /** The inline JWK set's JSON text as an object; null for none. */
    static JsonNode jwks(String text) {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A recorded JWK set is not JSON", e);
        }
    }

    static Map<String, String> claims(String json) {
        try {
            return JSON.readValue(json, JSON.getTypeFactory().constructMapType(TreeMap.class, String.class,
                    String.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Recorded claims are not a JSON object of strings", e);
        }
    }

    static String claimsJson(Map<String, String> claims) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(claims));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
