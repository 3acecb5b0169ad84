package dev.svcaccounts.command.federation.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.svcaccounts.command.federation.FederationSettings;
import dev.svcaccounts.command.federation.VerifiedJwt;
import dev.svcaccounts.command.testing.MutableClock;
import dev.svcaccounts.events.FederationRule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static dev.svcaccounts.command.federation.jwt.Refused.assertRefused;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.AUDIENCE;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.EC;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.RSA;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.claims;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.inlineRule;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.jwks;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.signed;
import static org.assertj.core.api.Assertions.assertThat;

/** The claims a verified signature vouches for: issuer, audience, times, lifetime, id. */
class JwtClaimsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final FederationRule RULE = inlineRule(jwks(RSA, EC));

    private final MutableClock clock = new MutableClock(NOW);
    private final NimbusJwtVerifier verifier = new NimbusJwtVerifier(new RuleKeys(new JwksCache(
            new SafeJwksFetcher(new FederationSettings(false, false), Duration.ofSeconds(1)), clock,
            Duration.ofMinutes(1))), clock);

    @Test
    void anotherIssuer_isRefused() {
        String token = signed(claims(NOW).issuer("https://gitlab.example").build(), RSA);

        assertRefused(() -> verify(token), token, "invalid_grant", "wrong-issuer");
    }

    @Test
    void anotherAudience_isRefused() {
        String token = signed(claims(NOW).audience(List.of("sts.amazonaws.com", "other")).build(), RSA);

        assertRefused(() -> verify(token), token, "invalid_grant", "wrong-audience");
        assertThat(verify(signed(claims(NOW).audience(List.of("other", AUDIENCE)).build(), RSA)).audience())
                .containsExactly("other", AUDIENCE);
    }

    @Test
    void expiry_isRequired_andHoldsWithAMinuteOfSkew() {
        JWTClaimsSet expiredHalfAMinuteAgo = claims(NOW.minusSeconds(300)).expirationTime(at(-30)).build();
        assertThat(verify(signed(expiredHalfAMinuteAgo, RSA)).expiresAt()).isEqualTo(NOW.minusSeconds(30));

        String expired = signed(claims(NOW.minusSeconds(300)).expirationTime(at(-61)).build(), RSA);
        assertRefused(() -> verify(expired), expired, "invalid_grant", "jwt-expired");
        String noExpiry = signed(claims(NOW).expirationTime(null).build(), RSA);
        assertRefused(() -> verify(noExpiry), noExpiry, "invalid_grant", "jwt-lifetime-too-long");
    }

    @Test
    void notBefore_holdsWithAMinuteOfSkew() {
        assertThat(verify(signed(claims(NOW).issueTime(null).notBeforeTime(at(59)).build(), RSA))).isNotNull();

        String early = signed(claims(NOW).issueTime(null).notBeforeTime(at(61)).build(), RSA);
        assertRefused(() -> verify(early), early, "invalid_grant", "jwt-not-yet-valid");
    }

    @Test
    void issuedAtInTheFuture_isRefused() {
        assertThat(verify(signed(claims(NOW).notBeforeTime(null).issueTime(at(59)).build(), RSA))).isNotNull();

        String future = signed(claims(NOW).notBeforeTime(null).issueTime(at(61)).build(), RSA);
        assertRefused(() -> verify(future), future, "invalid_grant", "jwt-issued-in-future");
    }

    @Test
    void aJwtLivesAtMostAnHour_countedFromIatElseNbf() {
        assertThat(verify(signed(claims(NOW).expirationTime(at(3600)).build(), RSA))).isNotNull();
        assertThat(verify(signed(claims(NOW).issueTime(null).expirationTime(at(3600)).build(), RSA))).isNotNull();

        String long1 = signed(claims(NOW).expirationTime(at(3601)).build(), RSA);
        assertRefused(() -> verify(long1), long1, "invalid_grant", "jwt-lifetime-too-long");
        String long2 = signed(claims(NOW).issueTime(null).notBeforeTime(at(-600)).expirationTime(at(3001)).build(),
                RSA);
        assertRefused(() -> verify(long2), long2, "invalid_grant", "jwt-lifetime-too-long");
        String unknown = signed(claims(NOW).issueTime(null).notBeforeTime(null).build(), RSA);
        assertRefused(() -> verify(unknown), unknown, "invalid_grant", "jwt-lifetime-too-long");
    }

    @Test
    void aJwtWithoutId_isRefused() {
        String token = signed(claims(NOW).jwtID(null).build(), RSA);
        assertRefused(() -> verify(token), token, "invalid_grant", "jti-missing");
        String blank = signed(claims(NOW).jwtID(" ").build(), RSA);
        assertRefused(() -> verify(blank), blank, "invalid_grant", "jti-missing");
    }

    private VerifiedJwt verify(String token) {
        return verifier.verify(verifier.parse(token), RULE);
    }

    private static Date at(long secondsFromNow) {
        return Date.from(NOW.plusSeconds(secondsFromNow));
    }
}
