package dev.svcaccounts.command.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.infra.web.Text;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.media.Schema;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A federation rule as {@code POST .../federation-rules} sends it, checked here for its shape: every bad field is
 * {@code 400 invalid-federation-rule} with the field's name in {@code field}; the aggregate decides the rest (admins,
 * the limit, duplicates).
 */
record FederationRuleRequest(
        @Schema(description = "The JWT's iss, exactly: an absolute https URL", maxLength = MAX_URL,
                requiredMode = Schema.RequiredMode.REQUIRED,
                example = "https://token.actions.githubusercontent.com") String issuer,
        @Schema(description = "Where the issuer publishes its keys (https); exactly one of jwksUri and jwks",
                maxLength = MAX_URL, example = "https://token.actions.githubusercontent.com/.well-known/jwks")
        String jwksUri,
        @Schema(types = {"object", "null"}, description = "The issuer's keys inline, a JWK set (RFC 7517) of 1-20 "
                + "RSA or EC P-256 public keys; exactly one of jwksUri and jwks") JsonNode jwks,
        @Schema(description = "A value the JWT's aud must contain", maxLength = MAX_TEXT,
                requiredMode = Schema.RequiredMode.REQUIRED) String audience,
        @Schema(description = "The JWT's sub, exactly, or a pattern where * stands for any run of characters; '*' "
                + "alone only with claims", maxLength = MAX_TEXT, requiredMode = Schema.RequiredMode.REQUIRED,
                example = "repo:acme/train:ref:refs/heads/main") String subject,
        @Schema(types = {"object", "null"}, description = "Further claims (up to 20), each of which the JWT must "
                + "carry with exactly this string value", example = "{\"repository\": \"acme/train\"}")
        Map<String, String> claims,
        @Schema(description = "How long an exchanged token lives, in seconds; default 900",
                minimum = "60", maximum = "3600") Integer maxTokenLifetimeSeconds) {

    static final int MAX_URL = 2048;
    static final int MAX_TEXT = 500;
    static final int MAX_CLAIMS = 20;
    static final int MAX_CLAIM_NAME = 100;
    static final int DEFAULT_LIFETIME_SECONDS = 900;
    static final String INVALID = "invalid-federation-rule";

    private static final Pattern VISIBLE = Pattern.compile(Text.VISIBLE_TEXT);

    /** The rule this request asks for, with the given id; {@code allowHttp}: http URLs are accepted too. */
    FederationRule toRule(String ruleId, boolean allowHttp) {
        url("issuer", issuer, allowHttp);
        if ((jwksUri == null) == (jwks == null || jwks.isNull())) {
            throw invalid(jwksUri == null ? "jwksUri" : "jwks",
                    "Send exactly one of jwksUri (where the issuer publishes its keys) and jwks (the keys inline).");
        }
        String inline = null;
        if (jwksUri != null) {
            url("jwksUri", jwksUri, allowHttp);
        } else if (!jwks.isObject()) {
            throw invalid("jwks", "must be a JSON object, a JWK set ({\"keys\": [...]}).");
        } else {
            inline = InlineJwks.parse(jwks.toString());
        }
        text("audience", audience, MAX_TEXT);
        text("subject", subject, MAX_TEXT);
        Map<String, String> checkedClaims = claims == null ? Map.of() : claims;
        checkClaims(checkedClaims);
        FederationRule rule = new FederationRule(ruleId, issuer, jwksUri, inline, audience, subject, checkedClaims,
                lifetime());
        if (rule.subjectIsOnlyWildcards() && rule.claims().isEmpty()) {
            throw DomainRuleException.invalid("federation-rule-too-broad", "subject '" + subject + "' with no claims "
                    + "trusts every identity of the issuer (on GitHub: every workflow of every repository). Name the "
                    + "subject, or add claims such as repository.").with("field", "subject");
        }
        return rule;
    }

    private int lifetime() {
        if (maxTokenLifetimeSeconds == null) {
            return DEFAULT_LIFETIME_SECONDS;
        }
        if (maxTokenLifetimeSeconds < FederationRule.MIN_LIFETIME_SECONDS
                || maxTokenLifetimeSeconds > FederationRule.MAX_LIFETIME_SECONDS) {
            throw invalid("maxTokenLifetimeSeconds", "maxTokenLifetimeSeconds must be "
                    + FederationRule.MIN_LIFETIME_SECONDS + " to " + FederationRule.MAX_LIFETIME_SECONDS + ", not "
                    + maxTokenLifetimeSeconds + ".");
        }
        return maxTokenLifetimeSeconds;
    }

    private static void checkClaims(Map<String, String> claims) {
        if (claims.size() > MAX_CLAIMS) {
            throw invalid("claims", "claims names " + claims.size() + " claims; at most " + MAX_CLAIMS + ".");
        }
        claims.forEach((name, value) -> {
            text("claims", name, MAX_CLAIM_NAME);
            if (value == null || value.isEmpty() || value.length() > MAX_TEXT
                    || value.chars().anyMatch(Character::isISOControl)) {
                throw invalid("claims", "claim '" + Text.forMessage(name) + "' must have a value of 1-" + MAX_TEXT
                        + " characters without control characters.");
            }
        });
    }

    private static void url(String field, String value, boolean allowHttp) {
        text(field, value, MAX_URL);
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw invalid(field, field + " is not a URL: " + Text.forMessage(value) + ".");
        }
        boolean https = "https".equals(uri.getScheme());
        boolean http = "http".equals(uri.getScheme());
        if (!https && !http || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid(field, field + " must be an absolute https URL with a host, not "
                    + Text.forMessage(value) + ".");
        }
        if (http && !allowHttp) {
            throw invalid(field, field + " must be an https URL (http only where FEDERATION_ALLOW_HTTP=true, for "
                    + "tests and air-gapped sites).");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid(field, field + " must not hold user information (user:password@).");
        }
        if (uri.getRawFragment() != null) {
            throw invalid(field, field + " must not have a fragment (#...).");
        }
    }

    private static void text(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            throw invalid(field, field + " is required.");
        }
        if (value.length() > max) {
            throw invalid(field, field + " has " + value.length() + " characters; at most " + max + ".");
        }
        if (!VISIBLE.matcher(value).matches()) {
            throw invalid(field, field + " " + Text.VISIBLE_TEXT_MESSAGE + ": " + Text.forMessage(value) + ".");
        }
    }

    static DomainRuleException invalid(String field, String detail) {
        return DomainRuleException.invalid(INVALID, detail).with("field", field);
    }
}
