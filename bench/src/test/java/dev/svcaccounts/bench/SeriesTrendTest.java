package dev.svcaccounts.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SeriesTrendTest {

    @Test
    void aFlatSeriesHasNoChangeAndNoSlope() {
        SeriesTrend trend = SeriesTrend.of(minutes(30, m -> 120.0));

        assertThat(trend.window()).isEqualTo(5);
        assertThat(trend.first()).isEqualTo(120.0);
        assertThat(trend.last()).isEqualTo(120.0);
        assertThat(trend.change()).isZero();
        assertThat(trend.slopePerHour()).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void aSteadyGrowthShowsAsSlopePerHourAndAsTheLastMinutesAboveTheFirst() {
        // 0.5 MB a minute: 30 MB an hour; minutes 1-5 average 101.5, minutes 26-30 average 114
        SeriesTrend trend = SeriesTrend.of(minutes(30, m -> 100 + 0.5 * m));

        assertThat(trend.slopePerHour()).isCloseTo(30.0, within(1e-9));
        assertThat(trend.first()).isCloseTo(101.5, within(1e-9));
        assertThat(trend.last()).isCloseTo(114.0, within(1e-9));
        assertThat(trend.changePercent()).isCloseTo(100 * 12.5 / 101.5, within(1e-9));
        assertThat(trend.min()).isEqualTo(100.5);
        assertThat(trend.max()).isEqualTo(115.0);
    }

    @Test
    void aShortRunComparesThirds() {
        SeriesTrend trend = SeriesTrend.of(minutes(6, m -> (double) m));

        assertThat(trend.window()).isEqualTo(2);
        assertThat(trend.first()).isEqualTo(1.5);
        assertThat(trend.last()).isEqualTo(5.5);
        assertThat(trend.slopePerHour()).isCloseTo(60.0, within(1e-9));
    }

    @Test
    void minutesWithoutAValueAreLeftOutNotCountedAsZero() {
        List<Double> values = minutes(10, m -> 50.0);
        values.set(0, Double.NaN);
        values.set(9, Double.NaN);
        SeriesTrend trend = SeriesTrend.of(values);

        assertThat(trend.minutes()).isEqualTo(8);
        assertThat(trend.first()).isEqualTo(50.0);
        assertThat(trend.last()).isEqualTo(50.0);
        assertThat(trend.slopePerHour()).isCloseTo(0.0, within(1e-9));
        assertThat(trend.min()).isEqualTo(50.0);
    }

    @Test
    void oneMinuteHasNoSlope() {
        SeriesTrend trend = SeriesTrend.of(minutes(1, m -> 7.0));

        assertThat(trend.window()).isEqualTo(1);
        assertThat(trend.first()).isEqualTo(7.0);
        assertThat(trend.slopePerHour()).isNaN();
    }

    @Test
    void aChangeFromZeroHasNoPercentage() {
        SeriesTrend trend = SeriesTrend.of(minutes(6, m -> m < 4 ? 0.0 : 3.0));

        assertThat(trend.change()).isEqualTo(3.0);
        assertThat(trend.changePercent()).isNaN();
    }

    private static List<Double> minutes(int n, java.util.function.IntFunction<Double> value) {
        List<Double> values = new ArrayList<>();
        for (int m = 1; m <= n; m++) {
            values.add(value.apply(m));
        }
        return values;
    }
}
