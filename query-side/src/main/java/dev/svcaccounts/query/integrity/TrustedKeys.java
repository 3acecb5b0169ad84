package dev.svcaccounts.query.integrity;

import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The public keys whose checkpoints the whole-store verification accepts, by key id: the signing key's, and the
 * earlier keys named by {@code AUDIT_TRUSTED_PUBLIC_KEYS} (after a key was replaced, the checkpoints it signed stay
 * good). A checkpoint naming any other key is a bad signature.
 */
public record TrustedKeys(Map<String, PublicKey> byKeyId) {

    public static final TrustedKeys NONE = new TrustedKeys(Map.of());

    public TrustedKeys {
        byKeyId = Map.copyOf(byKeyId);
    }

    public Optional<PublicKey> forKeyId(String keyId) {
        return Optional.ofNullable(byKeyId.get(keyId));
    }

    public boolean isEmpty() {
        return byKeyId.isEmpty();
    }

    /** The key ids, sorted: for messages. */
    public String ids() {
        return String.join(", ", new TreeSet<>(byKeyId.keySet()));
    }
}
