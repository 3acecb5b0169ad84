package dev.svcaccounts.command.federation.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import dev.svcaccounts.events.FederationRule;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The JWT's signature, checked with one of the rule's keys: the key its {@code kid} names (any of the fitting keys
 * when it names none), of the algorithm's type ({@code RSA} for RS256, {@code EC} P-256 for ES256), meant for
 * signatures, RSA of at least {@link #MIN_RSA_BITS} bits. A {@code kid} the keys do not have fetches them again once
 * ({@link RuleKeys#afterUnknownKey}, at most once a minute per key set): the issuer may have rotated its keys.
 */
final class SignatureCheck {

    static final int MIN_RSA_BITS = 2048;

    private final RuleKeys keys;

    SignatureCheck(RuleKeys keys) {
        this.keys = keys;
    }

    void require(UnverifiedJwt jwt, FederationRule rule) {
        JWKSet keySet = keys.current(rule);
        List<JWK> candidates = candidates(keySet, jwt);
        if (candidates.isEmpty()) {
            Optional<JWKSet> refetched = keys.afterUnknownKey(rule);
            if (refetched.isPresent()) {
                keySet = refetched.get();
                candidates = candidates(keySet, jwt);
            }
        }
        if (candidates.isEmpty()) {
            throw unknownKey(keySet, jwt, rule);
        }
        for (JWK key : candidates) {
            if (verifies(jwt, key)) {
                return;
            }
        }
        throw ExchangeRefusal.invalidGrant("bad-signature",
                "the JWT's signature does not verify with the key of issuer " + rule.issuer() + " it names");
    }

    private static List<JWK> candidates(JWKSet keySet, UnverifiedJwt jwt) {
        return keySet.getKeys().stream()
                .filter(key -> jwt.keyId() == null || jwt.keyId().equals(key.getKeyID()))
                .filter(key -> fits(key, jwt.algorithm()))
                .toList();
    }

    static boolean fits(JWK key, String algorithm) {
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            return false;
        }
        if (key.getKeyOperations() != null && !key.getKeyOperations().contains(KeyOperation.VERIFY)) {
            return false;
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(algorithm)) {
            return false;
        }
        if (JWSAlgorithm.RS256.getName().equals(algorithm)) {
            return key instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS;
        }
        return JWSAlgorithm.ES256.getName().equals(algorithm)
                && key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
    }

    private static boolean verifies(UnverifiedJwt jwt, JWK key) {
        try {
            JWSVerifier verifier = key instanceof RSAKey rsa
                    ? new RSASSAVerifier(rsa.toRSAPublicKey())
                    : new ECDSAVerifier(((ECKey) key).toECPublicKey());
            return jwt.jws().verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    private static ExchangeRefusal unknownKey(JWKSet keySet, UnverifiedJwt jwt, FederationRule rule) {
        boolean named = jwt.keyId() != null
                && keySet.getKeys().stream().anyMatch(key -> Objects.equals(jwt.keyId(), key.getKeyID()));
        String issuer = "issuer " + rule.issuer();
        String description;
        if (named) {
            description = "the key of " + issuer + " that the JWT names (kid) cannot verify " + jwt.algorithm()
                    + " signatures (a key of another type or use, or an RSA key under " + MIN_RSA_BITS + " bits)";
        } else if (jwt.keyId() == null) {
            description = issuer + " has no " + jwt.algorithm() + " key, and the JWT names none (kid)";
        } else {
            description = issuer + " has no key with the JWT's key id (kid); keys are fetched again at most once a"
                    + " minute";
        }
        return ExchangeRefusal.invalidGrant("unknown-key", description);
    }
}
