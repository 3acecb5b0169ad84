package dev.svcaccounts.infra.axon;

import dev.svcaccounts.infra.metrics.LatencyBuckets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Axon's JDBC storage engine with {@code svcaccounts_event_store_append_seconds{outcome}}: the time of one append
 * (serialising a unit of work's events and their batched INSERT, inside its transaction; the COMMIT comes after, in
 * the command's own timer). Axon's per-message monitors stay off (docs/performance.md): this is two clock reads
 * and one histogram update per append, on timers registered once. Each event's timestamp is written as the same
 * text Axon writes, without {@link java.time.format.DateTimeFormatter} ({@link #utcMillis}).
 */
class TimedEventStorageEngine extends JdbcEventStorageEngine {

    private static final int SECONDS_PER_DAY = 86_400;

    private final Timer appended;
    private final Timer failed;

    TimedEventStorageEngine(JdbcEventStorageEngine.Builder builder, MeterRegistry registry) {
        super(builder);
        this.appended = timer(registry, "success");
        this.failed = timer(registry, "failure");
    }

    private static Timer timer(MeterRegistry registry, String outcome) {
        return Timer.builder("svcaccounts.event.store.append")
                .description("Appends of events to the event store (serialisation and INSERT, before COMMIT)")
                .tag("outcome", outcome)
                .serviceLevelObjectives(LatencyBuckets.BOUNDARIES)
                .register(registry);
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        long start = System.nanoTime();
        boolean done = false;
        try {
            super.appendEvents(events, serializer);
            done = true;
        } finally {
            (done ? appended : failed).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** The text {@link DateTimeUtils#formatInstant} writes, which is what the column holds. */
    @Override
    protected void writeTimestamp(PreparedStatement preparedStatement, int position, Instant timestamp)
            throws SQLException {
        preparedStatement.setString(position, utcMillis(timestamp));
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, the fraction truncated to milliseconds, exactly as
     * {@link DateTimeUtils#formatInstant} prints it (one per event appended; the formatter's general machinery was
     * about 2% of the command side's CPU per command). Years outside 0-9999 go to Axon's formatter.
     */
    static String utcMillis(Instant instant) {
        long seconds = instant.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return DateTimeUtils.formatInstant(instant);
        }
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        char[] text = new char[24];
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        digits(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, secondOfDay % 60, 2);
        text[19] = '.';
        digits(text, 20, instant.getNano() / 1_000_000, 3);
        text[23] = 'Z';
        return new String(text);
    }

    /** {@code value} in {@code width} decimal digits, zero-padded, at {@code text[from]}. */
    private static void digits(char[] text, int from, int value, int width) {
        for (int i = from + width - 1; i >= from; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
