package dev.svcaccounts.command.federation.jwt;

import com.nimbusds.jwt.SignedJWT;

/**
 * A JWT as presented, parsed but not trusted: its claimed issuer is only good for finding the rules that might trust
 * it, and its claimed issuer, subject and id for the trail of a refusal. {@link JwtVerifier#verify} trusts it.
 */
public record UnverifiedJwt(SignedJWT jws, String algorithm, String keyId, String issuer, String subject,
                            String jwtId) {
}
