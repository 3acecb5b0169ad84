package dev.svcaccounts.events;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a token was obtained by a token exchange (RFC 8693): the federation rule that allowed it and who the external
 * identity was, as the verified JWT said. Never the JWT itself.
 *
 * @param matchedClaims the rule's claims, as the JWT carried them
 * @param jwtExpiresAt  the JWT's own {@code exp}
 */
public record TokenExchange(String ruleId, String issuer, String subject, String jwtId,
                            Map<String, String> matchedClaims, Instant jwtExpiresAt) {

    public TokenExchange {
        matchedClaims = matchedClaims == null ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(matchedClaims));
    }
}
