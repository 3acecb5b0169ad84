package dev.svcaccounts.command.federation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a JWT whose signature, issuer and times were verified says: all an exchange decides on. The JWT itself is not
 * kept.
 *
 * @param claims its string-valued claims (other claims cannot match a rule's)
 */
public record VerifiedJwt(String issuer, String subject, String jwtId, List<String> audience,
                          Map<String, String> claims, Instant expiresAt) {

    public VerifiedJwt {
        audience = List.copyOf(audience);
        claims = Map.copyOf(claims);
    }
}
