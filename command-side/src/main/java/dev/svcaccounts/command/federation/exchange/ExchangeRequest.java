package dev.svcaccounts.command.federation.exchange;

import dev.svcaccounts.command.federation.jwt.ExchangeRefusal;
import dev.svcaccounts.command.token.ScopeRequest;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.infra.web.Text;
import dev.svcaccounts.refusals.DomainRuleException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The form of {@code POST /v1/token} (RFC 8693 section 2.1), checked for its shape: the grant type, a JWT as the
 * subject token, optionally the one account it is for ({@code resource}) and a narrower {@code scope}. A field sent
 * empty counts as not sent (RFC 6749 section 3.2); an unknown field is refused, as everywhere in this API.
 */
record ExchangeRequest(String subjectToken, Target target, String scope) {

    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    static final Set<String> FIELDS = new TreeSet<>(Set.of("grant_type", "subject_token", "subject_token_type",
            "resource", "scope", "requested_token_type"));

    static ExchangeRequest of(Map<String, String> form) {
        for (String field : form.keySet()) {
            if (!FIELDS.contains(field)) {
                throw ExchangeRefusal.invalidRequest("malformed-request", "Unknown form field '"
                        + Text.forMessage(field) + "'. Known fields: " + FIELDS + ".");
            }
        }
        String grantType = value(form, "grant_type");
        if (grantType == null) {
            throw ExchangeRefusal.invalidRequest("malformed-request", "Form field 'grant_type' is required: "
                    + GRANT_TYPE + ".");
        }
        if (!GRANT_TYPE.equals(grantType)) {
            throw new ExchangeRefusal(ExchangeRefusal.UNSUPPORTED_GRANT_TYPE, "malformed-request",
                    "Only grant_type " + GRANT_TYPE + " is supported here.");
        }
        if (!JWT_TOKEN_TYPE.equals(value(form, "subject_token_type"))) {
            throw ExchangeRefusal.invalidRequest("malformed-request",
                    "Form field 'subject_token_type' must be " + JWT_TOKEN_TYPE + ".");
        }
        String requested = value(form, "requested_token_type");
        if (requested != null && !ACCESS_TOKEN_TYPE.equals(requested)) {
            throw ExchangeRefusal.invalidRequest("malformed-request",
                    "Form field 'requested_token_type' may only be " + ACCESS_TOKEN_TYPE + ".");
        }
        String subjectToken = value(form, "subject_token");
        if (subjectToken == null) {
            throw ExchangeRefusal.invalidRequest("malformed-request",
                    "Form field 'subject_token' is required: the JWT to exchange.");
        }
        return new ExchangeRequest(subjectToken, Target.parse(value(form, "resource")), value(form, "scope"));
    }

    /**
     * The token's scope: space-separated {@code <projectKey>:<role>} entries (roles viewer, contributor, owner), null
     * when none was asked for (the account's full access).
     */
    TokenScope tokenScope() {
        if (scope == null) {
            return null;
        }
        Map<String, String> projects = new LinkedHashMap<>();
        for (String entry : scope.trim().split(" +")) {
            int colon = entry.lastIndexOf(':');
            if (colon < 0 || projects.put(entry.substring(0, colon), entry.substring(colon + 1)) != null) {
                throw invalidScope("scope must be space-separated <projectKey>:<role> entries, each project once; "
                        + "not '" + Text.forMessage(entry) + "'.");
            }
        }
        try {
            return ScopeRequest.parse(projects);
        } catch (DomainRuleException refused) {
            throw invalidScope(refused.getMessage());
        }
    }

    private static ExchangeRefusal invalidScope(String description) {
        return new ExchangeRefusal(ExchangeRefusal.INVALID_SCOPE, "invalid-scope", description);
    }

    private static String value(Map<String, String> form, String field) {
        String value = form.get(field);
        return value == null || value.isEmpty() ? null : value;
    }
}
