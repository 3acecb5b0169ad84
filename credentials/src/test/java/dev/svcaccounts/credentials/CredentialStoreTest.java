package dev.svcaccounts.credentials;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The statements' clock parameter: the same text as {@link Instant#toString()}, which PostgreSQL reads. */
class CredentialStoreTest {

    @Test
    void theClocksText_isInstantToString_forEveryKindOfFraction_andEveryRangeOfYears() {
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "2026-12-07T13:00:00Z", "2026-12-07T13:00:00.100Z",
            "2026-12-07T13:00:00.000100Z", "2026-12-07T13:00:00.000000100Z", "2026-12-07T23:59:59.999999999Z",
            "2024-02-29T12:34:56.789012Z", "9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999999Z", "0001-01-01T00:00:00Z", "-0001-06-01T00:00:00.5Z"}) {
            Instant instant = Instant.parse(edge);
            assertThat(CredentialStore.isoText(instant)).as(edge).isEqualTo(instant.toString());
        }
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-100_000_000_000L, 300_000_000_000L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nano);
            assertThat(CredentialStore.isoText(instant)).isEqualTo(instant.toString());
        }
    }
}
