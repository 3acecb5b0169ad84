package dev.svcaccounts.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReplayWatchTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSteadyReplayHasTheSameRateInItsFirstAndLastTenth() {
        // 1,000,000 events at 10,000 per second, progress seen every 0.2 s
        List<ReplayWatch.Sample> samples = new ArrayList<>();
        for (long t = 0; t <= 100 * SECOND; t += SECOND / 5) {
            samples.add(new ReplayWatch.Sample(t, Math.min(1.0, t / (100.0 * SECOND))));
        }
        Results results = new Results();
        ReplayWatch.writeRates(results, samples, 1_000_000, 100 * SECOND);

        assertThat(results.number("replay.rate")).isCloseTo(10_000, within(1.0));
        assertThat(results.number("replay.first_tenth_rate")).isCloseTo(10_000, within(1.0));
        assertThat(results.number("replay.last_tenth_rate")).isCloseTo(10_000, within(1.0));
        assertThat(results.string("replay.complete")).isEqualTo("true");
    }

    @Test
    void aReplayThatSlowsDownShowsItInTheLastTenth() {
        // the first 90% at 20,000 events/s (45 s), the last 10% at 5,000 events/s (20 s)
        List<ReplayWatch.Sample> samples = new ArrayList<>();
        for (long t = 0; t <= 65 * SECOND; t += SECOND / 5) {
            double done = t <= 45 * SECOND
                    ? 0.9 * t / (45.0 * SECOND)
                    : 0.9 + 0.1 * (t - 45 * SECOND) / (20.0 * SECOND);
            samples.add(new ReplayWatch.Sample(t, done));
        }
        Results results = new Results();
        ReplayWatch.writeRates(results, samples, 1_000_000, 65 * SECOND);

        assertThat(results.number("replay.first_tenth_rate")).isCloseTo(20_000, within(1.0));
        assertThat(results.number("replay.last_tenth_rate")).isCloseTo(5_000, within(1.0));
        assertThat(results.number("replay.rate")).isCloseTo(1_000_000 / 65.0, within(1.0));
    }

    @Test
    void theMomentATenthIsReachedIsInterpolatedBetweenPolls() {
        List<ReplayWatch.Sample> samples = List.of(new ReplayWatch.Sample(0, 0.0), new ReplayWatch.Sample(SECOND, 0.05),
                new ReplayWatch.Sample(2 * SECOND, 0.15));
        assertThat(ReplayWatch.timeAt(samples, 0.1)).isEqualTo(SECOND + SECOND / 2);
    }

    @Test
    void anUnfinishedReplayHasNoLastTenthAndSaysHowFarItGot() {
        List<ReplayWatch.Sample> samples = List.of(new ReplayWatch.Sample(0, 0.01),
                new ReplayWatch.Sample(10 * SECOND, 0.4));
        Results results = new Results();
        ReplayWatch.writeRates(results, samples, 1_000_000, -1);

        assertThat(results.string("replay.complete")).isEqualTo("false");
        assertThat(results.number("replay.done")).isEqualTo(0.4);
        assertThat(results.has("replay.last_tenth_rate")).isFalse();
    }
}
