package dev.svcaccounts.infra.axon;

import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TimedEventStorageEngineTest {

    @Test
    void timestampsAreWrittenAsAxonWritesThem() {
        for (String at : new String[] {"2026-12-07T06:59:10Z", "2026-12-07T06:59:10.1Z", "2026-12-07T06:59:10.123Z",
                "2026-12-07T06:59:10.123456789Z", "2026-12-07T06:59:10.000999999Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999Z", "2024-02-29T23:59:59.999999Z", "0001-01-01T00:00:00.005Z",
                "9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z", "-0001-06-15T12:00:00.5Z"}) {
            Instant instant = Instant.parse(at);
            assertThat(TimedEventStorageEngine.utcMillis(instant)).as(at)
                    .isEqualTo(DateTimeUtils.formatInstant(instant));
        }
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-70_000_000_000L, 260_000_000_000L),
                    random.nextInt(1_000_000_000));
            assertThat(TimedEventStorageEngine.utcMillis(instant)).isEqualTo(DateTimeUtils.formatInstant(instant));
        }
    }
}
