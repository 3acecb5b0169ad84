package dev.svcaccounts.events;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TokenSecretTest {

    @Test
    void serviceAccountAndUserTokens_haveDistinctRecognisablePrefixes() {
        assertThat(TokenSecret.generateFor(PrincipalType.SERVICE_ACCOUNT)).startsWith("svcacct_");
        assertThat(TokenSecret.generateFor(PrincipalType.USER)).startsWith("usrtok_");
    }

    @Test
    void generatedSecret_isWellFormedAndCarriesAtLeast256RandomBits() {
        String secret = TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX);
        assertThat(TokenSecret.isWellFormed(secret)).isTrue();
        // 43 base62 characters hold log2(62^43) = 256.03 bits
        assertThat(secret).hasSize("svcacct_".length() + 43 + 6);
        assertThat(43 * Math.log(62) / Math.log(2)).isGreaterThanOrEqualTo(256);
    }

    @Test
    void mistypedSecret_failsTheChecksum() {
        String secret = TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX);
        int i = "svcacct_".length() + 5;
        char changed = secret.charAt(i) == 'a' ? 'b' : 'a';
        String mistyped = secret.substring(0, i) + changed + secret.substring(i + 1);
        assertThat(TokenSecret.isWellFormed(mistyped)).isFalse();
        assertThat(TokenSecret.isWellFormed(secret.substring(1))).isFalse();
        assertThat(TokenSecret.isWellFormed("svcacct_short")).isFalse();
        assertThat(TokenSecret.isWellFormed(null)).isFalse();
    }

    @Test
    void secretsIssuedBefore_stayWellFormed() {
        // made by the BigInteger checksum this class had before: the checksum's encoding must not change
        assertThat(TokenSecret.isWellFormed("svcacct_F2ImurXdeudVo63osPBgtmsJXK5II7PGkxYJPBfJ4SI2h5oo9")).isTrue();
        assertThat(TokenSecret.isWellFormed("usrtok_PBo4ZhloxZPdmxDd5FCTgF5u2nPA9Sseeajp4D0awZA0U0oM1")).isTrue();
        assertThat(TokenSecret.isWellFormed("usrtok_PBo4ZhloxZPdmxDd5FCTgF5u2nPA9Sseeajp4D0awZA0U0oM2")).isFalse();
    }

    @Test
    void secrets_doNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(TokenSecret.generate(TokenSecret.USER_PREFIX))).isTrue();
        }
    }

    @Test
    void hashAndHint_revealNothingOfTheRandomPart() {
        String secret = TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX);
        String body = secret.substring("svcacct_".length(), "svcacct_".length() + 43);
        assertThat(TokenSecret.hash(secret)).hasSize(64).doesNotContain(body).isEqualTo(TokenSecret.hash(secret));
        assertThat(TokenSecret.hint(secret)).isEqualTo("svcacct_..." + secret.substring(secret.length() - 4));
    }
}
