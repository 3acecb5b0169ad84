package dev.svcaccounts.command.federation;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.RSAKey;
import dev.svcaccounts.infra.web.Text;
import dev.svcaccounts.refusals.DomainRuleException;

import java.text.ParseException;
import java.util.List;

/**
 * A rule's inline JWK set, checked: RSA (2048 bits or more, for RS256) and EC P-256 (for ES256) public keys only, 1 to
 * {@value #MAX_KEYS} of them. A private or symmetric key is refused ({@code jwks-private-key}) rather than stripped:
 * whoever sent it has leaked it and should know. What is kept is the set as Nimbus writes its public keys.
 */
final class InlineJwks {

    static final int MAX_KEYS = 20;
    static final int MIN_RSA_BITS = 2048;

    private InlineJwks() {
    }

    /** The JWK set's JSON text, public keys only; {@code json} is the request's {@code jwks} object as JSON text. */
    static String parse(String json) {
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw FederationRuleRequest.invalid("jwks", "jwks is not a JWK set (RFC 7517: {\"keys\": [...]}): "
                    + Text.forMessage(String.valueOf(e.getMessage())));
        }
        List<JWK> keys = set.getKeys();
        if (keys.isEmpty()) {
            throw FederationRuleRequest.invalid("jwks", "jwks holds no key.");
        }
        if (keys.size() > MAX_KEYS) {
            throw FederationRuleRequest.invalid("jwks", "jwks holds " + keys.size() + " keys; at most " + MAX_KEYS
                    + " are allowed.");
        }
        for (int i = 0; i < keys.size(); i++) {
            check(keys.get(i), i);
        }
        return set.toString(true);
    }

    private static void check(JWK key, int index) {
        String which = "jwks key " + index + (key.getKeyID() == null ? "" : " ('" + key.getKeyID() + "')");
        if (key.isPrivate() || KeyType.OCT.equals(key.getKeyType())) {
            throw DomainRuleException.invalid("jwks-private-key", which + " holds private or secret key "
                    + "material. A federation rule takes the issuer's public keys only: send them alone, and treat "
                    + "the key sent as leaked.").with("field", "jwks");
        }
        if (key instanceof RSAKey rsa) {
            if (rsa.size() < MIN_RSA_BITS) {
                throw FederationRuleRequest.invalid("jwks", which + " is an RSA key of " + rsa.size()
                        + " bits; at least " + MIN_RSA_BITS + " are required.");
            }
        } else if (key instanceof ECKey ec) {
            if (!Curve.P_256.equals(ec.getCurve())) {
                throw FederationRuleRequest.invalid("jwks", which + " is an EC key on curve " + ec.getCurve()
                        + "; only P-256 (ES256) is accepted.");
            }
        } else {
            throw FederationRuleRequest.invalid("jwks", which + " is of type " + key.getKeyType()
                    + "; only RSA and EC public keys are accepted.");
        }
    }
}
