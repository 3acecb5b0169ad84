package dev.svcaccounts.infra.security;

import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Keyed digests (HMAC-SHA256) of secrets under a key that lives only in this process's memory, for in-memory sets
 * of secrets that worked here: they can be compared without keeping the secrets, and are useless anywhere else
 * (a heap dump gives no hash to attack offline without the key, which changes at every start).
 */
@Component
public class SecretDigests {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public SecretDigests() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        this.key = new SecretKeySpec(bytes, ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    public String of(String secret) {
        return Base64.getEncoder().withoutPadding()
                .encodeToString(macs.get().doFinal(secret.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
