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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Axon's JDBC storage engine with {@code svcaccounts_event_store_append_seconds{outcome}}: the time of one append
 * (serialising a unit of work's events and their batched INSERT, inside its transaction; the COMMIT comes after, in
 * the command's own timer). Axon's per-message monitors stay off (docs/performance.md): this is two clock reads
 * and one histogram update per append, on timers registered once. Each event's timestamp is written as the same
 * text Axon writes, without {@link java.time.format.DateTimeFormatter} ({@link IsoInstants#utcMillis}).
 */
class TimedEventStorageEngine extends JdbcEventStorageEngine {

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
        preparedStatement.setString(position, IsoInstants.utcMillis(timestamp));
    }
}
