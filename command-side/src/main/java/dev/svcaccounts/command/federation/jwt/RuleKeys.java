package dev.svcaccounts.command.federation.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import dev.svcaccounts.events.FederationRule;
import org.springframework.stereotype.Component;

import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The public keys a rule trusts: its inline JWK set (parsed once per distinct set), or the set at its
 * {@code jwksUri}, fetched safely and cached ({@link JwksCache}). Only public parts are ever used.
 */
@Component
public class RuleKeys {

    /** Distinct inline sets kept parsed; past this many the map starts over (each rule holds at most 20 keys). */
    static final int MAX_INLINE_SETS = 1000;

    private final JwksCache remote;
    private final Map<String, JWKSet> inline = new ConcurrentHashMap<>();

    public RuleKeys(JwksCache remote) {
        this.remote = remote;
    }

    /** The keys to verify with now. */
    JWKSet current(FederationRule rule) {
        if (rule.jwks() != null) {
            return inlineKeys(rule);
        }
        if (rule.jwksUri() == null) {
            throw ExchangeRefusal.invalidGrant("unknown-key", "the rule for issuer " + rule.issuer() + " has no keys");
        }
        return remote.keys(rule.jwksUri(), rule.issuer());
    }

    /** After a JWT named a key the set lacks: a newer set, when one could be fetched (never for an inline set). */
    Optional<JWKSet> afterUnknownKey(FederationRule rule) {
        if (rule.jwks() != null || rule.jwksUri() == null) {
            return Optional.empty();
        }
        return remote.refetched(rule.jwksUri(), rule.issuer());
    }

    private JWKSet inlineKeys(FederationRule rule) {
        JWKSet parsed = inline.get(rule.jwks());
        if (parsed != null) {
            return parsed;
        }
        try {
            parsed = JWKSet.parse(rule.jwks()).toPublicJWKSet();
        } catch (ParseException | RuntimeException e) {
            throw ExchangeRefusal.invalidGrant("unknown-key",
                    "the key set of the rule for issuer " + rule.issuer() + " cannot be read as a JWK set");
        }
        if (inline.size() >= MAX_INLINE_SETS) {
            inline.clear();
        }
        inline.put(rule.jwks(), parsed);
        return parsed;
    }
}
