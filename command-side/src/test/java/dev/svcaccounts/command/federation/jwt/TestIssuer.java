package dev.svcaccounts.command.federation.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.svcaccounts.events.FederationRule;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Throw-away keys and JWTs shaped like GitHub Actions' OIDC tokens. */
final class TestIssuer {

    static final String ISSUER = "https://token.actions.githubusercontent.com";
    static final String AUDIENCE = "https://svcaccounts.example/acme";
    static final String SUBJECT = "repo:acme/train:ref:refs/heads/main";

    static final RSAKey RSA = rsa("rsa-1");
    static final ECKey EC = ec("ec-1");

    private TestIssuer() {
    }

    static RSAKey rsa(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey ec(String keyId) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public half of the keys, as a JWK set's JSON. */
    static String jwks(JWK... keys) {
        return new JWKSet(List.of(keys)).toString(true);
    }

    static FederationRule inlineRule(String jwks) {
        return new FederationRule("rule-1", ISSUER, null, jwks, AUDIENCE, SUBJECT,
                Map.of("repository", "acme/train"), 900);
    }

    static FederationRule remoteRule(String jwksUri) {
        return new FederationRule("rule-1", ISSUER, jwksUri, null, AUDIENCE, SUBJECT,
                Map.of("repository", "acme/train"), 900);
    }

    /** The claims GitHub Actions puts in a run's token, issued now, for five minutes. */
    static JWTClaimsSet.Builder claims(Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(SUBJECT)
                .audience(AUDIENCE)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("repository", "acme/train")
                .claim("repository_owner", "acme")
                .claim("ref", "refs/heads/main")
                .claim("workflow", "train")
                .claim("environment", "prod")
                .claim("run_id", "7421337")
                .claim("run_attempt", 1)
                .claim("event_name", "push");
    }

    static String signed(JWTClaimsSet claims, JWK key) {
        try {
            JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa.toRSAPrivateKey(), true)
                    : new ECDSASigner((ECKey) key);
            JWSAlgorithm algorithm = key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
            return signed(claims, new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String signed(JWTClaimsSet claims, JWSHeader header, JWSSigner signer) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
