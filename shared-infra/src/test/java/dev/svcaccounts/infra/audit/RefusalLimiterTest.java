package dev.svcaccounts.infra.audit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalLimiterTest {

    private static final Instant START = Instant.parse("2030-01-01T12:00:00Z");

    private final TestClock clock = new TestClock(START);
    private final RefusalLimiter limiter = new RefusalLimiter(10, Duration.ofMinutes(1), clock);

    @Test
    void tenAMinutePerKey_areRecorded_theRestCounted() {
        assertThat(acquired("token t1", 30)).isEqualTo(10);
        assertThat(acquired("token t2", 3)).as("another key has its own budget").isEqualTo(3);

        clock.advance(Duration.ofSeconds(59));
        assertThat(acquired("token t1", 5)).as("still the same minute").isZero();
        assertThat(limiter.takeEndedWithSkips()).as("nothing has ended yet").isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.takeEndedWithSkips()).containsExactly(new RefusalLimiter.Skipped("token t1", START, 25));
        assertThat(limiter.takeEndedWithSkips()).as("each reported once").isEmpty();
        assertThat(acquired("token t1", 12)).as("a new minute").isEqualTo(10);
    }

    @Test
    void aWindowEndedByTheNextRefusal_isReportedWithItsOwnCount() {
        acquired("sa x", 11);
        clock.advance(Duration.ofSeconds(90));
        acquired("sa x", 13);
        clock.advance(Duration.ofSeconds(60));
        assertThat(limiter.takeEndedWithSkips()).containsExactly(
                new RefusalLimiter.Skipped("sa x", START, 1),
                new RefusalLimiter.Skipped("sa x", START.plusSeconds(90), 3));
    }

    @Test
    void windowsWithoutSkips_endSilently() {
        acquired("token t1", 10);
        clock.advance(Duration.ofMinutes(2));
        assertThat(limiter.takeEndedWithSkips()).isEmpty();
        assertThat(acquired("token t1", 10)).isEqualTo(10);
    }

    private int acquired(String key, int attempts) {
        return (int) IntStream.range(0, attempts).filter(i -> limiter.tryAcquire(key)).count();
    }
}
