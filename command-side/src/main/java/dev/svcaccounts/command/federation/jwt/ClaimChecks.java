package dev.svcaccounts.command.federation.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.svcaccounts.events.FederationRule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The claims a verified signature vouches for, checked against the rule and the clock: issuer, audience, times (with
 * {@link #SKEW} of tolerance for clocks that differ), lifetime and {@code jti}.
 */
final class ClaimChecks {

    static final Duration SKEW = Duration.ofSeconds(60);
    static final Duration MAX_LIFETIME = Duration.ofHours(1);
    /** The jti is kept (with the issuer) until the JWT expires, to refuse it a second time; a UUID is 36. */
    static final int MAX_JWT_ID_LENGTH = 256;

    private final Clock clock;

    ClaimChecks(Clock clock) {
        this.clock = clock;
    }

    void requireIssuer(JWTClaimsSet claims, FederationRule rule) {
        if (!rule.issuer().equals(claims.getIssuer())) {
            throw ExchangeRefusal.invalidGrant("wrong-issuer",
                    "the JWT's issuer (iss) is not the rule's issuer " + rule.issuer());
        }
    }

    void requireAudience(JWTClaimsSet claims, FederationRule rule) {
        List<String> audience = claims.getAudience();
        if (!audience.contains(rule.audience())) {
            throw ExchangeRefusal.invalidGrant("wrong-audience",
                    "the JWT's audience (aud) does not contain " + rule.audience() + ", the audience the rule trusts");
        }
    }

    void requireTimes(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Instant expiresAt = instant(claims.getExpirationTime());
        Instant notBefore = instant(claims.getNotBeforeTime());
        Instant issuedAt = instant(claims.getIssueTime());
        if (expiresAt == null) {
            throw ExchangeRefusal.invalidGrant("jwt-lifetime-too-long",
                    "the JWT has no expiry (exp), so it would live for ever; at most 1 hour is accepted");
        }
        if (!now.isBefore(expiresAt.plus(SKEW))) {
            throw ExchangeRefusal.invalidGrant("jwt-expired", "the JWT expired at " + expiresAt);
        }
        if (notBefore != null && now.plus(SKEW).isBefore(notBefore)) {
            throw ExchangeRefusal.invalidGrant("jwt-not-yet-valid", "the JWT is not valid before " + notBefore);
        }
        if (issuedAt != null && now.plus(SKEW).isBefore(issuedAt)) {
            throw ExchangeRefusal.invalidGrant("jwt-issued-in-future", "the JWT claims to be issued at " + issuedAt
                    + ", later than now (" + now + ") by more than " + SKEW.toSeconds() + " s");
        }
        Instant start = issuedAt != null ? issuedAt : notBefore;
        if (start == null) {
            throw ExchangeRefusal.invalidGrant("jwt-lifetime-too-long",
                    "the JWT has neither iat nor nbf, so how long it lives is unknown; at most 1 hour is accepted");
        }
        if (Duration.between(start, expiresAt).compareTo(MAX_LIFETIME) > 0) {
            throw ExchangeRefusal.invalidGrant("jwt-lifetime-too-long", "the JWT lives "
                    + Duration.between(start, expiresAt).toSeconds() + " s, more than the 3600 s accepted");
        }
    }

    String requireJwtId(JWTClaimsSet claims) {
        String jwtId = claims.getJWTID();
        if (jwtId == null || jwtId.isBlank()) {
            throw ExchangeRefusal.invalidGrant("jti-missing",
                    "the JWT has no id (jti), so it could be used more than once");
        }
        if (jwtId.length() > MAX_JWT_ID_LENGTH) {
            throw ExchangeRefusal.invalidGrant("malformed-jwt",
                    "the JWT's id (jti) is longer than " + MAX_JWT_ID_LENGTH + " characters");
        }
        return jwtId;
    }

    /** The JWT's top-level claims whose values are strings: the only ones a rule's claims can match. */
    static Map<String, String> stringClaims(JWTClaimsSet claims) {
        Map<String, String> strings = new LinkedHashMap<>();
        claims.getClaims().forEach((name, value) -> {
            if (value instanceof String text) {
                strings.put(name, text);
            }
        });
        return strings;
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
