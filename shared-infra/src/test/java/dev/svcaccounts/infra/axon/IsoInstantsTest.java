package dev.svcaccounts.infra.axon;

import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event store's timestamps: the results of Axon's parser and formatter, by a shorter way. */
class IsoInstantsTest {

    private static final List<Instant> EDGES = List.of(Instant.EPOCH, Instant.EPOCH.minusNanos(1),
            Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
            Instant.parse("2024-02-29T12:00:00.100Z"), Instant.parse("2026-12-07T06:59:10.000001Z"),
            Instant.parse("2026-12-07T06:59:10.000000001Z"), Instant.parse("1969-12-31T23:59:59.5Z"),
            Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"));

    @Test
    void printsForTheEventStoreWhatAxonPrints() {
        for (String at : List.of("2026-12-07T06:59:10.1Z", "2026-12-07T06:59:10.000999999Z",
                "0001-01-01T00:00:00.005Z", "1969-12-31T23:59:59.999Z")) {
            Instant instant = Instant.parse(at);
            assertThat(IsoInstants.utcMillis(instant)).as(at).isEqualTo(DateTimeUtils.formatInstant(instant));
        }
        for (Instant instant : EDGES) {
            assertThat(IsoInstants.utcMillis(instant)).as(instant.toString())
                    .isEqualTo(DateTimeUtils.formatInstant(instant));
        }
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-70_000_000_000L, 260_000_000_000L),
                    random.nextInt(1_000_000_000));
            assertThat(IsoInstants.utcMillis(instant)).isEqualTo(DateTimeUtils.formatInstant(instant));
        }
    }

    @Test
    void parsesAsAxonParses_whatAxonWrites() {
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
                    i % 2 == 0 ? random.nextInt(1000) * 1_000_000 : random.nextInt(1_000_000_000));
            String text = i % 3 == 0 ? instant.toString() : DateTimeUtils.formatInstant(instant);
            assertThat(IsoInstants.parse(text)).as(text).isEqualTo(DateTimeUtils.parseInstant(text));
        }
        for (Instant instant : EDGES) {
            assertThat(IsoInstants.parse(instant.toString())).isEqualTo(instant);
        }
    }

    @Test
    void otherShapes_areLeftToAxonsParser() {
        for (String text : List.of("2026-12-07T06:59:10+01:00", "2026-12-07t06:59:10.5z", "2026-12-07T06:59:10.Z",
                "+12026-12-07T06:59:10Z", "2026-12-07T06:59:10.1234567890Z", "2026-02-30T06:59:10Z",
                "2026-12-07T24:00:00Z", "2026-12-07T06:60:10Z", "2026-12-07T06:59:60Z", "2026-13-07T06:59:10Z",
                "2026-12-07 06:59:10Z", "2026-12-0xT06:59:10Z", "2026-12-07T06:59:1Z")) {
            assertThat(IsoInstants.parseUtc(text)).as(text).isNull();
            assertThat(outcome(() -> IsoInstants.parse(text))).as(text)
                    .isEqualTo(outcome(() -> DateTimeUtils.parseInstant(text)));
        }
        assertThatThrownBy(() -> IsoInstants.parse("2026-02-30T06:59:10Z")).isInstanceOf(DateTimeParseException.class);
    }

    private static Object outcome(Supplier<Instant> parse) {
        try {
            return parse.get();
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }
}
