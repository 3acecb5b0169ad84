package dev.svcaccounts.events;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * Format of token secrets, modelled on GitHub's: a prefix saying whose token it is, 256 random bits in
 * base62, and a CRC32 checksum of both, so secret scanners can recognise a leaked token offline and a
 * mistyped one is refused without a database look-up.
 * <pre>svcacct_&lt;43 base62 chars&gt;&lt;6 base62 checksum chars&gt;</pre>
 * Only {@link #hash(String)} of a secret is ever stored.
 */
public final class TokenSecret {

    public static final String SERVICE_ACCOUNT_PREFIX = "svcacct_";
    public static final String USER_PREFIX = "usrtok_";
    public static final String OPERATOR_PREFIX = "opr_";
    /** The secret of an introspection client (a resource server calling {@code /v1/introspect}). */
    public static final String INTROSPECTION_CLIENT_PREFIX = "intcli_";

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int RANDOM_BYTES = 32;
    private static final int BODY_LENGTH = 43;     // 62^43 > 2^256
    private static final int CHECKSUM_LENGTH = 6;  // 62^6 > 2^32
    private static final int HINT_LENGTH = 4;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenSecret() {
    }

    public static String generate(String prefix) {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        String body = base62(new BigInteger(1, bytes), BODY_LENGTH);
        return prefix + body + checksum(prefix + body);
    }

    public static String generateFor(PrincipalType type) {
        return generate(switch (type) {
            case SERVICE_ACCOUNT -> SERVICE_ACCOUNT_PREFIX;
            case USER -> USER_PREFIX;
            case OPERATOR -> OPERATOR_PREFIX;
        });
    }

    /** True when the text has one of our prefixes, the right length, only base62 and a matching checksum. */
    public static boolean isWellFormed(String secret) {
        if (secret == null) {
            return false;
        }
        String prefix = prefixOf(secret);
        if (prefix == null || secret.length() != prefix.length() + BODY_LENGTH + CHECKSUM_LENGTH) {
            return false;
        }
        for (int i = prefix.length(); i < secret.length(); i++) {
            if (ALPHABET.indexOf(secret.charAt(i)) < 0) {
                return false;
            }
        }
        int split = secret.length() - CHECKSUM_LENGTH;
        return checksum(secret.substring(0, split)).equals(secret.substring(split));
    }

    /** SHA-256 of the whole secret, hex. Enough for 256-bit random secrets: no salt or stretching needed. */
    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The non-secret part shown in listings so people can tell their tokens apart: prefix and last four. */
    public static String hint(String secret) {
        String prefix = prefixOf(secret);
        return (prefix == null ? "" : prefix) + "..." + secret.substring(secret.length() - HINT_LENGTH);
    }

    private static String prefixOf(String secret) {
        for (String prefix : new String[]{SERVICE_ACCOUNT_PREFIX, USER_PREFIX, OPERATOR_PREFIX,
                INTROSPECTION_CLIENT_PREFIX}) {
            if (secret.startsWith(prefix)) {
                return prefix;
            }
        }
        return null;
    }

    private static String checksum(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return base62(crc.getValue(), CHECKSUM_LENGTH);
    }

    /** {@link #base62(BigInteger, int)} of a value below 2^63, without BigInteger: checked on every request. */
    private static String base62(long value, int length) {
        char[] out = new char[length];
        for (int i = length - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (value % ALPHABET.length()));
            value /= ALPHABET.length();
        }
        return new String(out);
    }

    private static String base62(BigInteger value, int length) {
        char[] out = new char[length];
        BigInteger base = BigInteger.valueOf(ALPHABET.length());
        for (int i = length - 1; i >= 0; i--) {
            BigInteger[] qr = value.divideAndRemainder(base);
            out[i] = ALPHABET.charAt(qr[1].intValue());
            value = qr[0];
        }
        return new String(out);
    }
}
