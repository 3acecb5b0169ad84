package dev.svcaccounts.command.federation.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.svcaccounts.command.federation.FederationSettings;
import dev.svcaccounts.command.federation.VerifiedJwt;
import dev.svcaccounts.command.testing.MutableClock;
import dev.svcaccounts.events.FederationRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static dev.svcaccounts.command.federation.jwt.Refused.assertRefused;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.AUDIENCE;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.EC;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.ISSUER;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.RSA;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.SUBJECT;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.claims;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.inlineRule;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.jwks;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.signed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parsing, algorithms and signatures, with a rule's inline keys (the claims: {@link JwtClaimsTest}; fetched keys:
 * {@link JwksCacheTest}).
 */
class NimbusJwtVerifierTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final FederationRule RULE = inlineRule(jwks(RSA, EC));

    private final MutableClock clock = new MutableClock(NOW);
    private final NimbusJwtVerifier verifier = new NimbusJwtVerifier(new RuleKeys(new JwksCache(
            new SafeJwksFetcher(new FederationSettings(false, false), Duration.ofSeconds(1)), clock,
            Duration.ofMinutes(1))), clock);

    @Test
    void anRs256JwtVerifies_andSaysWhatAnExchangeDecidesOn() {
        VerifiedJwt verified = verify(signed(claims(NOW).build(), RSA));

        assertThat(verified.issuer()).isEqualTo(ISSUER);
        assertThat(verified.subject()).isEqualTo(SUBJECT);
        assertThat(verified.audience()).containsExactly(AUDIENCE);
        assertThat(verified.expiresAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(verified.jwtId()).isNotBlank();
        assertThat(verified.claims())
                .containsEntry("repository", "acme/train")
                .containsEntry("environment", "prod")
                .containsEntry("sub", SUBJECT)
                .doesNotContainKeys("run_attempt", "exp", "aud");
    }

    @Test
    void anEs256JwtVerifies() {
        assertThat(verify(signed(claims(NOW).build(), EC)).subject()).isEqualTo(SUBJECT);
    }

    @Test
    void parseTellsTheClaimedIssuerSubjectAndIdBeforeAnythingIsTrusted() {
        JWTClaimsSet claims = claims(NOW).build();
        UnverifiedJwt jwt = verifier.parse(signed(claims, EC));

        assertThat(jwt.algorithm()).isEqualTo("ES256");
        assertThat(jwt.keyId()).isEqualTo("ec-1");
        assertThat(jwt.issuer()).isEqualTo(ISSUER);
        assertThat(jwt.subject()).isEqualTo(SUBJECT);
        assertThat(jwt.jwtId()).isEqualTo(claims.getJWTID());
    }

    @Test
    void anUnsignedJwt_algNone_isRefused() {
        String unsigned = new PlainJWT(claims(NOW).build()).serialize();

        assertRefused(() -> verifier.parse(unsigned), unsigned, "invalid_grant", "unsupported-algorithm");
        String withASignature = unsigned + signed(claims(NOW).build(), RSA).split("\\.")[2];
        assertRefused(() -> verifier.parse(withASignature), withASignature, "invalid_grant", "unsupported-algorithm");
    }

    @ParameterizedTest
    @ValueSource(strings = {"None", "NONE", "HS256", "HS512", "PS256", "RS512", "ES384", "EdDSA", ""})
    void everyOtherAlgorithmIsRefused_beforeAnyKeyIsLookedAt(String algorithm) {
        String header = Base64URL.encode("{\"alg\":\"" + algorithm + "\",\"kid\":\"rsa-1\"}").toString();
        String[] good = signed(claims(NOW).build(), RSA).split("\\.");
        String token = header + "." + good[1] + "." + good[2];

        assertRefused(() -> verifier.parse(token), token, "invalid_grant", "unsupported-algorithm");
    }

    @Test
    void hs256SignedWithTheRsaPublicKeyAsSecret_theConfusionAttack_isRefused() throws JOSEException {
        byte[] publicKey = RSA.toRSAPublicKey().getEncoded();
        String forged = signed(claims(NOW).build(), new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                new MACSigner(publicKey));

        assertRefused(() -> verifier.parse(forged), forged, "invalid_grant", "unsupported-algorithm");
        UnverifiedJwt smuggled = new UnverifiedJwt(parseUnchecked(forged), "RS256", "rsa-1", ISSUER, SUBJECT, "x");
        assertRefused(() -> verifier.verify(smuggled, RULE), forged, "invalid_grant", "unsupported-algorithm");
    }

    @Test
    void aKeyEmbeddedInTheJwtsHeaderIsNotTrusted() throws JOSEException {
        RSAKey attacker = TestIssuer.rsa("rsa-1");
        String forged = signed(claims(NOW).build(), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                .jwk(attacker.toPublicJWK()).jwkURL(URI.create("https://attacker.example/jwks")).build(),
                new RSASSASigner(attacker));

        assertRefused(() -> verify(forged), forged, "invalid_grant", "bad-signature");
    }

    @Test
    void aJwtSignedByAnotherKeyWithTheSameKid_isABadSignature() {
        String forged = signed(claims(NOW).build(), TestIssuer.ec("ec-1"));

        assertRefused(() -> verify(forged), forged, "invalid_grant", "bad-signature");
    }

    @Test
    void anEs256SignatureOfZeros_thePsychicSignature_isABadSignature() {
        String[] good = signed(claims(NOW).build(), EC).split("\\.");
        String zeros = good[0] + "." + good[1] + "." + Base64URL.encode(new byte[64]);

        assertRefused(() -> verify(zeros), zeros, "invalid_grant", "bad-signature");
    }

    @Test
    void aKidTheKeysLack_isAnUnknownKey() {
        String token = signed(claims(NOW).build(), TestIssuer.rsa("rsa-2"));

        assertRefused(() -> verify(token), token, "invalid_grant", "unknown-key");
    }

    @Test
    void aKeyOfTheWrongTypeOrUseOrTooShort_isNotUsed() throws JOSEException {
        RSAKey encryption = new RSAKey.Builder(TestIssuer.rsa("enc-1")).keyUse(KeyUse.ENCRYPTION).build();
        RSAKey weak = new RSAKeyGenerator(1024, true).keyID("weak-1").generate();
        FederationRule rule = inlineRule(jwks(encryption, weak, EC));

        for (RSAKey key : List.of(encryption, weak)) {
            String token = signed(claims(NOW).build(), key);
            assertRefused(() -> verifier.verify(verifier.parse(token), rule), token, "invalid_grant", "unknown-key");
        }
        String rsaNamingTheEcKey = signed(claims(NOW).build(),
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("ec-1").build(), new RSASSASigner(RSA));
        assertRefused(() -> verifier.verify(verifier.parse(rsaNamingTheEcKey), rule), rsaNamingTheEcKey,
                "invalid_grant", "unknown-key");
    }

    @Test
    void aJwtWithoutKid_isCheckedWithTheKeysOfItsAlgorithm() throws JOSEException {
        String token = signed(claims(NOW).build(), new JWSHeader.Builder(JWSAlgorithm.RS256).build(),
                new RSASSASigner(RSA));

        assertThat(verify(token).subject()).isEqualTo(SUBJECT);
    }

    @Test
    void aRuleWhoseKeysCannotBeRead_refuses_asAnUnknownKey() {
        String token = signed(claims(NOW).build(), RSA);

        assertRefused(() -> verifier.verify(verifier.parse(token), inlineRule("{\"keys\":\"none\"}")), token,
                "invalid_grant", "unknown-key");
        assertRefused(() -> verifier.verify(verifier.parse(token), TestIssuer.remoteRule(null)), token,
                "invalid_grant", "unknown-key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "not-a-jwt", "a.b", "a.b.c.d", "a.b.c", "e30.e30.", "!!!.e30.sig"})
    void whatIsNoJwt_isAnInvalidRequest(String token) {
        assertRefused(() -> verifier.parse(token), token, "invalid_request", "malformed-jwt");
    }

    @Test
    void aSignedJwtWhosePayloadIsNoClaimsSet_isAnInvalidRequest() {
        String header = Base64URL.encode("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}").toString();
        String token = header + "." + Base64URL.encode("[1,2]") + ".c2ln";

        assertRefused(() -> verifier.parse(token), token, "invalid_request", "malformed-jwt");
        assertRefused(() -> verifier.parse(null), "", "invalid_request", "malformed-jwt");
        String huge = signed(claims(NOW).claim("padding", "x".repeat(20_000)).build(), RSA);
        assertRefused(() -> verifier.parse(huge), huge, "invalid_request", "malformed-jwt");
    }

    private VerifiedJwt verify(String token) {
        return verifier.verify(verifier.parse(token), RULE);
    }

    private static Date at(long secondsFromNow) {
        return Date.from(NOW.plusSeconds(secondsFromNow));
    }

    private static SignedJWT parseUnchecked(String token) {
        try {
            return SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
