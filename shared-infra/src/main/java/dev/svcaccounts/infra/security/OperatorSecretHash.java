package dev.svcaccounts.infra.security;

import dev.svcaccounts.events.TokenSecret;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * How the operator credential is stored: PBKDF2-HMAC-SHA256 with a random 16-byte salt and
 * {@value #ITERATIONS} iterations (OWASP's figure for this function), as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64), so that a stolen table does not give away a credential
 * a person chose. Service-account and user tokens need none of this: 256 random bits, a plain SHA-256 is enough.
 * A 64-character hex value is the unsalted SHA-256 stored before (legacy): it still matches, and is replaced by this
 * form at its first successful use ({@link OperatorVerification}).
 */
public final class OperatorSecretHash {

    public static final int ITERATIONS = 600_000;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private OperatorSecretHash() {
    }

    /** A new salted hash of {@code secret}: slow on purpose (a few hundred milliseconds). */
    public static String hash(String secret) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return format(ITERATIONS, salt, pbkdf2(secret, salt, ITERATIONS));
    }

    /** Whether {@code secret} is the one {@code stored} was made from; slow for the salted form. */
    public static boolean matches(String secret, String stored) {
        if (stored == null) {
            return false;
        }
        if (isLegacy(stored)) {
            return MessageDigest.isEqual(TokenSecret.hash(secret).getBytes(StandardCharsets.US_ASCII),
                    stored.getBytes(StandardCharsets.US_ASCII));
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return iterations > 0 && MessageDigest.isEqual(pbkdf2(secret, salt, iterations), expected);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /** The unsalted SHA-256 (64 hex characters) of earlier versions. */
    public static boolean isLegacy(String stored) {
        return stored != null && stored.length() == 64 && stored.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** Salted, with today's iterations: nothing to upgrade. */
    public static boolean isCurrent(String stored) {
        return stored != null && stored.startsWith(PREFIX + "$" + ITERATIONS + "$");
    }

    private static String format(int iterations, byte[] salt, byte[] hash) {
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    private static byte[] pbkdf2(String secret, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is required by every Java platform", e);
        } finally {
            spec.clearPassword();
        }
    }
}
