package dev.svcaccounts.command.credential;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorTokenStrengthTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void longButPredictableTokens_areRefused() {
        for (String weak : List.of("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "passwordpasswordpasswordpassword",
                "abcdefghijklmnopqrstuvwxyz0123456789", "secret123secret123secret123secret123",
                "Tr0ub4dor&3Tr0ub4dor&3Tr0ub4dor&3", "operator-credential-000000000000000000000000000000000000",
                "9876543210987654321098765432109876543210")) {
            assertThatThrownBy(() -> OperatorCredential.requireStrong(weak)).as(weak)
                    .hasMessageContaining("OPERATOR_TOKEN is too easy to guess");
        }
    }

    @Test
    void shortOrSpacedTokens_areRefused() {
        assertThatThrownBy(() -> OperatorCredential.requireStrong("secret123"))
                .hasMessageContaining("at least 32 characters");
        assertThatThrownBy(() -> OperatorCredential.requireStrong("a3f9 c2e1 77b0 d4a6 9e3c 1b58 f0d2 6a7e"))
                .hasMessageContaining("without spaces");
    }

    @Test
    void randomTokens_areAccepted_evenShortOnes() {
        for (int i = 0; i < 200; i++) {
            String hex16 = hex(16); // openssl rand -hex 16: 128 random bits in 32 characters
            assertThatCode(() -> OperatorCredential.requireStrong(hex16)).as(hex16).doesNotThrowAnyException();
            String chosen = "operator-credential-" + hex(24);
            assertThatCode(() -> OperatorCredential.requireStrong(chosen)).as(chosen).doesNotThrowAnyException();
        }
        assertThat(OperatorTokenStrength.estimatedBits(hex(32))).isGreaterThan(200);
        assertThat(OperatorTokenStrength.estimatedBits("a-long-operator-credential-chosen-by-the-platform-0123456789"))
                .isGreaterThan(OperatorTokenStrength.MIN_BITS);
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
