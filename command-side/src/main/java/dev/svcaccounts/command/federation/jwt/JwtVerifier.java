package dev.svcaccounts.command.federation.jwt;

import dev.svcaccounts.command.federation.VerifiedJwt;
import dev.svcaccounts.events.FederationRule;

/** Checks an external identity's JWT against a federation rule's issuer and keys. */
public interface JwtVerifier {

    /**
     * Parses a compact JWS without trusting it.
     *
     * @throws ExchangeRefusal {@code invalid_request} when it is no JWT; {@code invalid_grant} when its algorithm is
     *                         not RS256 or ES256 ({@code none} and HS* included)
     */
    UnverifiedJwt parse(String subjectToken);

    /**
     * Verifies the signature with the rule's keys (its inline JWK set, or the set at its {@code jwksUri}, fetched
     * safely and cached), that {@code iss} is the rule's issuer, that {@code aud} contains the rule's audience, that
     * {@code exp}, {@code nbf} and {@code iat} hold with at most 60 s of skew, that the JWT lives at most an hour, and
     * that it has a {@code jti}. Does not check the rule's subject and claims (the caller matches them), nor single
     * use.
     *
     * @throws ExchangeRefusal {@code invalid_grant} with the reason
     */
    VerifiedJwt verify(UnverifiedJwt jwt, FederationRule rule);
}
