package dev.svcaccounts.events;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A service account's trust in an external identity provider (a CI system's OIDC issuer): a JWT signed by one of the
 * issuer's keys, for this audience, whose subject and claims match, may be exchanged for a short-lived token of the
 * account. Only public keys are ever kept ({@code jwks}); the JWT itself never enters an event.
 *
 * @param ruleId                  the rule's id, unique in its workspace
 * @param issuer                  the JWT's {@code iss}, compared exactly
 * @param jwksUri                 where the issuer publishes its keys; null when {@code jwks} is given
 * @param jwks                    an inline JWK set (JSON text, public keys only); null when {@code jwksUri} is given
 * @param audience                a value the JWT's {@code aud} must contain
 * @param subject                 the JWT's {@code sub}, exactly, or a pattern in which {@code *} stands for any run of
 *                                characters ({@link #subjectMatches})
 * @param claims                  further claims, each of which must equal the JWT's (string) claim exactly
 * @param maxTokenLifetimeSeconds how long an exchanged token lives, 60-3,600
 */
public record FederationRule(String ruleId, String issuer, String jwksUri, String jwks, String audience,
                             String subject, Map<String, String> claims, int maxTokenLifetimeSeconds) {

    public static final int MIN_LIFETIME_SECONDS = 60;
    public static final int MAX_LIFETIME_SECONDS = 3600;
    public static final int MAX_RULES_PER_ACCOUNT = 20;

    public FederationRule {
        claims = claims == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(claims));
    }

    /**
     * Whether a JWT with this subject, audience list and claims satisfies the rule. The issuer and the signature are
     * checked before (the issuer's keys are the rule's).
     */
    public boolean matches(String jwtIssuer, List<String> jwtAudience, String jwtSubject,
                           Map<String, String> jwtClaims) {
        return issuer.equals(jwtIssuer)
                && jwtAudience != null && jwtAudience.contains(audience)
                && subjectMatches(jwtSubject)
                && claimsMatch(jwtClaims);
    }

    /** Every claim the rule names, equal to the JWT's. */
    public boolean claimsMatch(Map<String, String> jwtClaims) {
        return claims.entrySet().stream()
                .allMatch(claim -> jwtClaims != null && claim.getValue().equals(jwtClaims.get(claim.getKey())));
    }

    /** The rule's claims as the JWT had them: what an exchange records. */
    public Map<String, String> matchedClaims() {
        return claims;
    }

    /**
     * {@code *} matches any run of characters, {@code :} and {@code /} included; every other character only itself.
     * Linear in the lengths (no regular expression), so a hostile subject costs nothing.
     */
    public boolean subjectMatches(String jwtSubject) {
        return jwtSubject != null && globMatches(subject, jwtSubject);
    }

    static boolean globMatches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** A subject of wildcards only trusts every identity of the issuer (every repository on GitHub). */
    public boolean subjectIsOnlyWildcards() {
        return subject.chars().allMatch(c -> c == '*');
    }
}
