package dev.svcaccounts.command.federation.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.svcaccounts.command.federation.FederationSettings;
import dev.svcaccounts.command.federation.VerifiedJwt;
import dev.svcaccounts.command.testing.MutableClock;
import dev.svcaccounts.events.FederationRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.svcaccounts.command.federation.jwt.Refused.assertRefused;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.EC;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.RSA;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.SUBJECT;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.claims;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.jwks;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.remoteRule;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Keys fetched from an issuer's jwksUri (on loopback) and kept: expiry, key rotation, an issuer that is down. */
class JwksCacheTest {

    private static final Instant START = Instant.parse("2026-12-06T12:00:00Z");
    /** The hanging issuer's fetch waits this long once; the other fetches must fit in it on a loaded machine. */
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(2);

    private final MutableClock clock = new MutableClock(START);
    private final JwksServer issuer = new JwksServer();
    private final JwksCache cache = cache(Duration.ofMinutes(1));
    private final NimbusJwtVerifier verifier = new NimbusJwtVerifier(new RuleKeys(cache), clock);
    private final FederationRule rule = remoteRule(issuer.uri());

    JwksCacheTest() throws IOException {
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    @Test
    void keysAreFetchedOnce_andKeptForTheirMaxAge() {
        issuer.serve(jwks(RSA, EC), "max-age=120");

        assertThat(verify(RSA).subject()).isEqualTo(SUBJECT);
        assertThat(verify(EC).subject()).isEqualTo(SUBJECT);
        clock.advance(Duration.ofSeconds(119));
        verify(RSA);
        assertThat(issuer.hits()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        verify(RSA);
        assertThat(issuer.hits()).isEqualTo(2);
    }

    @Test
    void aMaxAgeOutsideTheBounds_isBounded() {
        issuer.serve(jwks(RSA), "max-age=1");
        verify(RSA);
        clock.advance(Duration.ofSeconds(59));
        verify(RSA);
        assertThat(issuer.hits()).as("kept at least a minute").isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        verify(RSA);
        assertThat(issuer.hits()).isEqualTo(2);

        issuer.serve(jwks(RSA), "max-age=31536000");
        clock.advance(Duration.ofSeconds(60));
        verify(RSA);
        assertThat(issuer.hits()).isEqualTo(3);
        clock.advance(Duration.ofHours(24).minusSeconds(1));
        verify(RSA);
        assertThat(issuer.hits()).isEqualTo(3);
        clock.advance(Duration.ofSeconds(1));
        verify(RSA);
        assertThat(issuer.hits()).as("kept at most a day").isEqualTo(4);
    }

    @Test
    void aKeyRotationAtTheIssuer_isPickedUp_fetchingAtMostOnceAMinuteForUnknownKeys() {
        issuer.serve(jwks(RSA), "max-age=3600");
        verify(RSA);
        RSAKey rotated = TestIssuer.rsa("rsa-2");
        issuer.serve(jwks(rotated), "max-age=3600");

        clock.advance(Duration.ofSeconds(61));
        assertThat(verify(rotated).subject()).as("the new key, fetched for its unknown kid").isEqualTo(SUBJECT);
        assertThat(issuer.hits()).isEqualTo(2);
        String retired = signed(claims(clock.instant()).build(), RSA);
        assertRefused(() -> verifier.verify(verifier.parse(retired), rule), retired, "invalid_grant", "unknown-key");
        for (int i = 0; i < 20; i++) {
            String madeUp = signed(claims(clock.instant()).build(), TestIssuer.ec("made-up-" + i));
            assertRefused(() -> verifier.verify(verifier.parse(madeUp), rule), madeUp, "invalid_grant",
                    "unknown-key");
            clock.advance(Duration.ofSeconds(2));
        }
        assertThat(issuer.hits()).as("one fetch in the first minute after the last").isEqualTo(2);

        clock.advance(Duration.ofSeconds(20));
        String another = signed(claims(clock.instant()).build(), TestIssuer.ec("made-up"));
        assertRefused(() -> verifier.verify(verifier.parse(another), rule), another, "invalid_grant", "unknown-key");
        assertThat(issuer.hits()).isEqualTo(3);
    }

    @Test
    void aNewKeyIsNotFetchedForWithinAMinuteOfTheLastFetch() {
        issuer.serve(jwks(RSA), "max-age=3600");
        verify(RSA);
        RSAKey added = TestIssuer.rsa("rsa-2");
        issuer.serve(jwks(RSA, added), "max-age=3600");

        String early = signed(claims(clock.instant()).build(), added);
        assertRefused(() -> verifier.verify(verifier.parse(early), rule), early, "invalid_grant", "unknown-key");
        clock.advance(Duration.ofSeconds(60));
        verify(added);
        verify(RSA);
        assertThat(issuer.hits()).isEqualTo(2);
    }

    @Test
    void anIssuerThatIsDown_failsItsExchangesOnly_clearly_andFast() throws IOException {
        issuer.hang();
        try (JwksServer other = new JwksServer()) {
            other.serve(jwks(EC), null);
            FederationRule otherRule = remoteRule(other.uri());

            ExchangeRefusal refusal = refusal(RSA);
            assertThat(refusal.reason()).isEqualTo("issuer-unreachable");
            assertThat(refusal.error()).isEqualTo("invalid_grant");
            assertThat(refusal.description())
                    .startsWith("could not fetch the keys of issuer https://token.actions.githubusercontent.com: timeout");
            String token = signed(claims(clock.instant()).build(), EC);
            assertThat(verifier.verify(verifier.parse(token), otherRule).subject()).isEqualTo(SUBJECT);

            clock.advance(Duration.ofSeconds(9));
            assertThat(refusal(RSA).reason()).isEqualTo("issuer-unreachable");
            assertThat(issuer.hits()).as("not tried again at once").isEqualTo(1);
        }
        issuer.serve(jwks(RSA), null);
        clock.advance(Duration.ofSeconds(1));
        assertThat(verify(RSA).subject()).isEqualTo(SUBJECT);
        assertThat(issuer.hits()).isEqualTo(2);
    }

    @Test
    void whileTheIssuerIsDown_theKeysLastFetchedStayUsable_forADay() {
        issuer.serve(jwks(RSA), "max-age=600");
        verify(RSA);
        issuer.answer(exchange -> JwksServer.send(exchange, 503, "down", null, false));

        clock.advance(Duration.ofMinutes(10));
        verify(RSA);
        clock.advance(Duration.ofSeconds(9));
        verify(RSA);
        assertThat(issuer.hits()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        verify(RSA);
        assertThat(issuer.hits()).isEqualTo(3);

        clock.advance(Duration.ofHours(24));
        ExchangeRefusal refusal = refusal(RSA);
        assertThat(refusal.reason()).isEqualTo("issuer-unreachable");
        assertThat(refusal.description()).endsWith(": it answered HTTP 503");
    }

    @Test
    void concurrentExchanges_waitForOneFetch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        issuer.answer(exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            JwksServer.send(exchange, 200, jwks(RSA), null, false);
        });
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<VerifiedJwt>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(threads.submit(() -> verify(RSA)));
            }
            long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (cache.waitingFor(issuer.uri()) < 7 && System.nanoTime() < giveUp) {
                Thread.sleep(2);
            }
            release.countDown();
            for (Future<VerifiedJwt> result : results) {
                assertThat(result.get().subject()).isEqualTo(SUBJECT);
            }
            assertThat(issuer.hits()).isEqualTo(1);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void theRefetchInterval_isASetting() {
        NimbusJwtVerifier impatient = new NimbusJwtVerifier(new RuleKeys(cache(Duration.ofSeconds(5))), clock);
        issuer.serve(jwks(RSA), "max-age=3600");
        impatient.verify(impatient.parse(signed(claims(clock.instant()).build(), RSA)), rule);
        RSAKey rotated = TestIssuer.rsa("rsa-2");
        issuer.serve(jwks(rotated), "max-age=3600");

        clock.advance(Duration.ofSeconds(5));
        assertThat(impatient.verify(impatient.parse(signed(claims(clock.instant()).build(), rotated)), rule))
                .isNotNull();
        assertThat(issuer.hits()).isEqualTo(2);
    }

    private JwksCache cache(Duration refetchInterval) {
        return new JwksCache(new SafeJwksFetcher(new FederationSettings(true, true), FETCH_TIMEOUT), clock,
                refetchInterval);
    }

    private VerifiedJwt verify(JWK key) {
        return verifier.verify(verifier.parse(signed(claims(clock.instant()).build(), key)), rule);
    }

    private ExchangeRefusal refusal(JWK key) {
        return catchThrowableOfType(ExchangeRefusal.class, () -> verify(key));
    }
}
