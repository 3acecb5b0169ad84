package dev.svcaccounts.credentials;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CredentialStore#byteOrder}, which puts an introspection's listing in key order in Java, is PostgreSQL's
 * {@code COLLATE "C"} order on UTF-8 text: the order of the keys' UTF-8 bytes.
 */
class ListingOrderTest {

    /** ASCII, Latin-1, just below and above the surrogates, private use, and past U+FFFF. */
    private static final int[] ALPHABET = {'-', '0', 'a', 'l', 'm', 'z', 0xE9, 0x20AC, 0xD7FF, 0xE000, 0xFFFD,
        0x1F600, 0x10000};

    @Test
    void isTheOrderOfTheUtf8Bytes() {
        Random random = new Random(18);
        for (int n = 0; n < 200_000; n++) {
            String a = text(random);
            String b = random.nextInt(4) == 0 ? a + text(random) : text(random);
            int bytes = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
            assertThat(Integer.signum(CredentialStore.byteOrder(a, b))).as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(bytes));
        }
    }

    @Test
    void putsCharactersPastTheBasicPlaneAfterPrivateUse_asUtf8Does() {
        assertThat(CredentialStore.byteOrder("\uE000", "\uD83D\uDE00")).isNegative(); // String.compareTo: positive
        assertThat(CredentialStore.byteOrder("m-l", "ml")).isNegative();
        assertThat(CredentialStore.byteOrder("ml", "ml")).isZero();
        assertThat(CredentialStore.byteOrder("ml", "ml2")).isNegative();
    }

    private static String text(Random random) {
        StringBuilder out = new StringBuilder();
        for (int i = random.nextInt(5); i > 0; i--) {
            out.appendCodePoint(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return out.toString();
    }
}
