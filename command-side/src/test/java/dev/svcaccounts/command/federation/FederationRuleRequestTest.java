package dev.svcaccounts.command.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.refusals.DomainRuleException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What a federation rule request may hold (400 naming the field), before the aggregate sees it. */
class FederationRuleRequestTest {

    private static final String ISSUER = "https://token.actions.githubusercontent.com";
    private static final String JWKS_URI = ISSUER + "/.well-known/jwks";
    private static final String SUBJECT = "repo:acme/train:ref:refs/heads/main";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RSAKey rsa;
    private static ECKey ec;

    @BeforeAll
    static void keys() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    }

    private static FederationRuleRequest request(String issuer, String jwksUri, JsonNode jwks, String audience,
                                                 String subject, Map<String, String> claims, Integer lifetime) {
        return new FederationRuleRequest(issuer, jwksUri, jwks, audience, subject, claims, lifetime);
    }

    private static FederationRuleRequest withUri(String subject, Map<String, String> claims, Integer lifetime) {
        return request(ISSUER, JWKS_URI, null, "https://github.com/acme", subject, claims, lifetime);
    }

    private static FederationRuleRequest withKeys(JWK... keys) throws Exception {
        return request(ISSUER, null, JSON.readTree(new JWKSet(List.of(keys)).toString(false)),
                "https://github.com/acme", SUBJECT, null, null);
    }

    private static void refused(FederationRuleRequest request, String code, String field) {
        DomainRuleException e = catchThrowableOfType(DomainRuleException.class,
                () -> request.toRule("r1", false));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.kind()).isEqualTo(DomainRuleException.Kind.INVALID);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.properties()).containsEntry("field", field);
    }

    private static void invalid(FederationRuleRequest request, String field) {
        refused(request, "invalid-federation-rule", field);
    }

    @Test
    void aRuleWithAJwksUri_takesTheDefaults() {
        FederationRule rule = withUri(SUBJECT, null, null).toRule("r1", false);
        assertThat(rule).isEqualTo(new FederationRule("r1", ISSUER, JWKS_URI, null, "https://github.com/acme", SUBJECT,
                Map.of(), 900));
    }

    @Test
    void inlineKeys_areKeptAsPublicRsaAndEcKeys() throws Exception {
        FederationRule rule = withKeys(rsa.toPublicJWK(), ec.toPublicJWK()).toRule("r1", false);
        JWKSet kept = JWKSet.parse(rule.jwks());
        assertThat(kept.getKeys()).extracting(JWK::getKeyID).containsExactly("rsa-1", "ec-1");
        assertThat(kept.getKeys()).noneMatch(JWK::isPrivate);
        assertThat(rule.jwksUri()).isNull();
    }

    @Test
    void aPrivateOrSecretKey_isRefusedAsSuch() throws Exception {
        refused(withKeys(rsa), "jwks-private-key", "jwks");
        refused(withKeys(ec.toPublicJWK(), ec), "jwks-private-key", "jwks");
        OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).generate();
        refused(withKeys(secret), "jwks-private-key", "jwks");
    }

    @Test
    void keysTheVerifierCannotUse_orTooManyOrNone_areRefused() throws Exception {
        invalid(withKeys(new RSAKeyGenerator(1024, true).generate().toPublicJWK()), "jwks");
        invalid(withKeys(new ECKeyGenerator(Curve.P_384).generate().toPublicJWK()), "jwks");
        invalid(withKeys(), "jwks");
        List<JWK> many = new ArrayList<>();
        for (int i = 0; i <= InlineJwks.MAX_KEYS; i++) {
            many.add(new ECKeyGenerator(Curve.P_256).keyID("k" + i).generate().toPublicJWK());
        }
        invalid(withKeys(many.toArray(JWK[]::new)), "jwks");
        assertThat(withKeys(many.subList(0, InlineJwks.MAX_KEYS).toArray(JWK[]::new)).toRule("r1", false).jwks())
                .isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"keys\"", "{}", "{\"keys\": [{\"kty\": \"RSA\"}]}", "{\"keys\": 5}"})
    void aJwksThatIsNoJwkSet_isRefused(String jwks) throws Exception {
        invalid(request(ISSUER, null, JSON.readTree(jwks), "aud", SUBJECT, null, null), "jwks");
    }

    @Test
    void exactlyOneOfJwksUriAndJwks() throws Exception {
        invalid(request(ISSUER, null, null, "aud", SUBJECT, null, null), "jwksUri");
        JsonNode keys = JSON.readTree(new JWKSet(ec.toPublicJWK()).toString());
        invalid(request(ISSUER, JWKS_URI, keys, "aud", SUBJECT, null, null), "jwks");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://issuer.example", "token.actions.githubusercontent.com", "/relative",
        "https://user:pw@issuer.example", "https://issuer.example/#frag", "ftp://issuer.example", "https://",
        "https://issuer.example/a b", " https://issuer.example"})
    void issuerAndJwksUri_areAbsoluteHttpsUrls(String url) {
        invalid(request(url, JWKS_URI, null, "aud", SUBJECT, null, null), "issuer");
        invalid(request(ISSUER, url, null, "aud", SUBJECT, null, null), "jwksUri");
    }

    @Test
    void httpUrls_onlyWhereAllowed() {
        FederationRuleRequest http = request("http://127.0.0.1:8099", "http://127.0.0.1:8099/jwks", null, "aud",
                SUBJECT, null, null);
        invalid(http, "issuer");
        assertThat(http.toRule("r1", true).issuer()).isEqualTo("http://127.0.0.1:8099");
    }

    @Test
    void lifetime_60To3600() {
        invalid(withUri(SUBJECT, null, 59), "maxTokenLifetimeSeconds");
        invalid(withUri(SUBJECT, null, 3601), "maxTokenLifetimeSeconds");
        assertThat(withUri(SUBJECT, null, 60).toRule("r1", false).maxTokenLifetimeSeconds()).isEqualTo(60);
        assertThat(withUri(SUBJECT, null, 3600).toRule("r1", false).maxTokenLifetimeSeconds()).isEqualTo(3600);
    }

    @Test
    void aSubjectOfWildcardsOnly_needsClaims() {
        refused(withUri("*", null, null), "federation-rule-too-broad", "subject");
        refused(withUri("***", Map.of(), null), "federation-rule-too-broad", "subject");
        assertThat(withUri("*", Map.of("repository", "acme/train"), null).toRule("r1", false).subject())
                .isEqualTo("*");
        assertThat(withUri("repo:acme/*", null, null).toRule("r1", false).subject()).isEqualTo("repo:acme/*");
    }

    @Test
    void textFields_areRequiredBoundedAndVisible() {
        invalid(request(ISSUER, JWKS_URI, null, null, SUBJECT, null, null), "audience");
        invalid(request(ISSUER, JWKS_URI, null, "a".repeat(501), SUBJECT, null, null), "audience");
        invalid(request(ISSUER, JWKS_URI, null, "aud", "", null, null), "subject");
        invalid(request(ISSUER, JWKS_URI, null, "aud", "repo:a\u0000b", null, null), "subject");
        invalid(request(ISSUER, JWKS_URI, null, "aud", "s".repeat(501), null, null), "subject");
        invalid(request("https://i.example/" + "a".repeat(2048), JWKS_URI, null, "aud", SUBJECT, null, null),
                "issuer");
        assertThat(request(ISSUER, JWKS_URI, null, "a".repeat(500), "s".repeat(500), null, null).toRule("r1", false))
                .isNotNull();
    }

    @Test
    void claims_atMost20_boundedNamesAndValues_noControlCharacters() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= FederationRuleRequest.MAX_CLAIMS; i++) {
            many.put("c" + i, "v");
        }
        invalid(withUri(SUBJECT, many, null), "claims");
        invalid(withUri(SUBJECT, Map.of("n".repeat(101), "v"), null), "claims");
        invalid(withUri(SUBJECT, Map.of("ref", "v".repeat(501)), null), "claims");
        invalid(withUri(SUBJECT, Map.of("ref", "refs/heads/main\n"), null), "claims");
        invalid(withUri(SUBJECT, Map.of("ref", ""), null), "claims");
        Map<String, String> withNull = new HashMap<>();
        withNull.put("ref", null);
        invalid(withUri(SUBJECT, withNull, null), "claims");
        assertThat(withUri(SUBJECT, Map.of("workflow", "Nightly training run"), null).toRule("r1", false).claims())
                .containsEntry("workflow", "Nightly training run");
    }
}
