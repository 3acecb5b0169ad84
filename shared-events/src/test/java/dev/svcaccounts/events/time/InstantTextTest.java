package dev.svcaccounts.events.time;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The text of {@link Instant#toString()}, by a shorter way (the millisecond form is pinned in IsoInstantsTest). */
class InstantTextTest {

    private static final List<String> EDGES = List.of("1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z",
            "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z",
            "-0001-06-01T00:00:00.5Z", "2024-02-29T12:34:56.789012Z", "2026-12-07T13:00:00.100Z",
            "2026-12-07T13:00:00.000100Z", "2026-12-07T13:00:00.000000100Z", "2026-12-07T06:59:10.000001Z",
            "1969-12-31T23:59:59.999999Z");

    @Test
    void printsWhatInstantToStringPrints_forEveryKindOfFraction_andEveryRangeOfYears() {
        for (String edge : EDGES) {
            Instant instant = Instant.parse(edge);
            assertThat(InstantText.of(instant)).as(edge).isEqualTo(instant.toString());
        }
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-100_000_000_000L, 300_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void appendsAfterWhatIsThere_andTheMillisecondFormRefusesYearsItDoesNotWrite() {
        StringBuilder out = new StringBuilder("at ");
        InstantText.append(out, Instant.parse("2026-12-07T06:59:10.5Z"));
        assertThat(out).hasToString("at 2026-12-07T06:59:10.500Z");
        StringBuilder millis = new StringBuilder();
        assertThat(InstantText.appendMillis(millis, Instant.parse("+10000-01-01T00:00:00Z"))).isFalse();
        assertThat(millis).isEmpty();
    }
}
