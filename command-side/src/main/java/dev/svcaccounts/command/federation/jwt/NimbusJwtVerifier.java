package dev.svcaccounts.command.federation.jwt;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.svcaccounts.command.federation.VerifiedJwt;
import dev.svcaccounts.events.FederationRule;
import org.springframework.stereotype.Component;

import java.text.ParseException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * {@link JwtVerifier} with Nimbus JOSE+JWT. Only RS256 and ES256 are accepted, decided on the header alone, before any
 * key is looked at: {@code none}, the HMAC algorithms (whose "secret" could be a public key an attacker knows) and
 * everything else are refused. Keys come from the rule only ({@link RuleKeys}), never from the JWT's own {@code jwk},
 * {@code jku} or {@code x5u} headers. No refusal's description repeats the JWT or a value taken from it.
 */
@Component
public class NimbusJwtVerifier implements JwtVerifier {

    static final Set<String> ALGORITHMS = Set.of("RS256", "ES256");
    /** A GitHub Actions token is about 1,200 characters; far more is no identity token. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final SignatureCheck signatures;
    private final ClaimChecks claims;

    public NimbusJwtVerifier(RuleKeys keys, Clock clock) {
        this.signatures = new SignatureCheck(keys);
        this.claims = new ClaimChecks(clock);
    }

    @Override
    public UnverifiedJwt parse(String subjectToken) {
        if (subjectToken == null || subjectToken.isBlank()) {
            throw malformed("the subject_token is empty");
        }
        if (subjectToken.length() > MAX_TOKEN_LENGTH) {
            throw malformed("the subject_token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        String[] parts = subjectToken.split("\\.", -1);
        if (parts.length != 3) {
            throw malformed("the subject_token is not a signed JWT (three base64url parts separated by dots)");
        }
        String algorithm = algorithmOf(parts[0]);
        if (!ALGORITHMS.contains(algorithm)) {
            throw ExchangeRefusal.invalidGrant("unsupported-algorithm", "the JWT's signature algorithm is not "
                    + "accepted: only RS256 and ES256 are (never none or HS256/HS384/HS512)");
        }
        try {
            SignedJWT jws = SignedJWT.parse(subjectToken);
            JWTClaimsSet claimsSet = jws.getJWTClaimsSet();
            return new UnverifiedJwt(jws, algorithm, jws.getHeader().getKeyID(), claimsSet.getIssuer(),
                    claimsSet.getSubject(), claimsSet.getJWTID());
        } catch (ParseException | RuntimeException e) {
            throw malformed("the subject_token is not a well-formed JWT (its header or claims cannot be read)");
        }
    }

    @Override
    public VerifiedJwt verify(UnverifiedJwt jwt, FederationRule rule) {
        if (!ALGORITHMS.contains(jwt.algorithm()) || !ALGORITHMS.contains(jwt.jws().getHeader().getAlgorithm()
                .getName())) {
            throw ExchangeRefusal.invalidGrant("unsupported-algorithm",
                    "the JWT's signature algorithm is not accepted: only RS256 and ES256 are");
        }
        JWTClaimsSet claimsSet = claimsOf(jwt.jws());
        claims.requireIssuer(claimsSet, rule);
        signatures.require(jwt, rule);
        claims.requireTimes(claimsSet);
        claims.requireAudience(claimsSet, rule);
        String jwtId = claims.requireJwtId(claimsSet);
        return new VerifiedJwt(claimsSet.getIssuer(), claimsSet.getSubject(), jwtId, claimsSet.getAudience(),
                ClaimChecks.stringClaims(claimsSet), claimsSet.getExpirationTime().toInstant());
    }

    private static String algorithmOf(String encodedHeader) {
        Map<String, Object> header;
        try {
            header = JSONObjectUtils.parse(new Base64URL(encodedHeader).decodeToString());
        } catch (ParseException | RuntimeException e) {
            throw malformed("the subject_token's header is not base64url-encoded JSON");
        }
        if (!(header.get("alg") instanceof String algorithm)) {
            throw malformed("the subject_token's header has no alg");
        }
        return algorithm;
    }

    private static JWTClaimsSet claimsOf(SignedJWT jws) {
        try {
            return jws.getJWTClaimsSet();
        } catch (ParseException e) {
            throw ExchangeRefusal.invalidGrant("malformed-jwt", "the JWT's claims cannot be read");
        }
    }

    private static ExchangeRefusal malformed(String description) {
        return ExchangeRefusal.invalidRequest("malformed-jwt", description);
    }
}
