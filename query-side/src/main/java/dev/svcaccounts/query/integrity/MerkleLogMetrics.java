package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.Checkpoint;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * How far the Merkle log trails the event store, and how old its latest checkpoint is (docs/operations.md):
 * {@code svcaccounts_merkle_log_leaves}, {@code svcaccounts_merkle_log_lag_events} (the store's head position minus
 * the last leaf's), {@code svcaccounts_merkle_log_lag_seconds} (the age of the oldest stored event not in the log
 * yet; 0 when there is none), {@code svcaccounts_audit_checkpoint_tree_size} and {@code
 * svcaccounts_audit_checkpoint_age_seconds} (NaN before the first checkpoint). The figures are the cluster's, the
 * same on every query node. One reading serves every gauge of a scrape: it is taken at most once a second.
 */
@Component
class MerkleLogMetrics {

    /** The log's figures at one moment; NaN for what could not be read (the database is down). */
    record Reading(double leaves, double lagEvents, double lagSeconds, double checkpointTreeSize,
                   double checkpointAgeSeconds) {

        static final Reading UNKNOWN = new Reading(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private static final long FRESH_NANOS = 1_000_000_000L;

    private static final String LAG = """
            WITH last AS (SELECT leaf_index, position FROM query_side.merkle_leaf ORDER BY leaf_index DESC LIMIT 1)
            SELECT coalesce((SELECT leaf_index + 1 FROM last), 0),
                   coalesce((SELECT max(global_index) FROM command_side.domain_event_entry), 0),
                   coalesce((SELECT position FROM last), 0),
                   (SELECT CAST(time_stamp AS timestamptz) FROM command_side.domain_event_entry
                     WHERE global_index > coalesce((SELECT position FROM last), 0)
                     ORDER BY global_index LIMIT 1)
            """;

    private final JdbcTemplate jdbc;
    private final MerkleLogStore store;
    private final Clock clock;
    private Reading last = Reading.UNKNOWN;
    private long readAt;
    private boolean read;

    MerkleLogMetrics(JdbcTemplate jdbc, MerkleLogStore store, Clock clock, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.store = store;
        this.clock = clock;
        gauge(registry, "svcaccounts.merkle.log.leaves", "Leaves in the Merkle log over the event store",
                Reading::leaves);
        gauge(registry, "svcaccounts.merkle.log.lag.events", "The event store's head position minus the position "
                + "of the Merkle log's last leaf", Reading::lagEvents);
        gauge(registry, "svcaccounts.merkle.log.lag.seconds", "Age of the oldest stored event not in the Merkle "
                + "log yet; 0 when the log has every event", Reading::lagSeconds);
        gauge(registry, "svcaccounts.audit.checkpoint.tree.size", "Tree size of the latest signed checkpoint; "
                + "NaN before the first", Reading::checkpointTreeSize);
        gauge(registry, "svcaccounts.audit.checkpoint.age.seconds", "Seconds since the latest signed checkpoint "
                + "was issued; NaN before the first", Reading::checkpointAgeSeconds);
    }

    private void gauge(MeterRegistry registry, String name, String help, ToDoubleFunction<Reading> value) {
        Gauge.builder(name, this, self -> value.applyAsDouble(self.current())).description(help).register(registry);
    }

    /** The figures, read again when the last reading is more than a second old. */
    synchronized Reading current() {
        long now = System.nanoTime();
        if (!read || now - readAt > FRESH_NANOS) {
            read = true;
            readAt = now;
            try {
                last = readNow();
            } catch (RuntimeException e) { // the database is down: NaN, and svcaccounts_database_up says why
                last = Reading.UNKNOWN;
            }
        }
        return last;
    }

    private Reading readNow() {
        Instant now = clock.instant();
        Reading lag = jdbc.queryForObject(LAG, (rs, i) -> new Reading(rs.getLong(1),
                Math.max(0, rs.getLong(2) - rs.getLong(3)), secondsSince(rs.getTimestamp(4), now), Double.NaN,
                Double.NaN));
        Optional<Checkpoint> checkpoint = store.latestCheckpoint();
        return new Reading(lag.leaves(), lag.lagEvents(), lag.lagSeconds(),
                checkpoint.map(c -> (double) c.treeSize()).orElse(Double.NaN),
                checkpoint.map(c -> seconds(Duration.between(c.issuedAt(), now))).orElse(Double.NaN));
    }

    private static double secondsSince(Timestamp stored, Instant now) {
        return stored == null ? 0 : seconds(Duration.between(stored.toInstant(), now));
    }

    private static double seconds(Duration duration) {
        return Math.max(0, duration.toMillis() / 1000.0);
    }
}
