package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.Checkpoint;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * How far the Merkle log trails the event store, and how old its latest checkpoint is (docs/operations.md):
 * {@code svcaccounts_merkle_log_leaves}, {@code svcaccounts_merkle_log_lag_events} (the store's head position minus
 * the last leaf's), {@code svcaccounts_merkle_log_lag_seconds} (the age of the oldest stored event not in the log
 * yet; 0 when there is none), {@code svcaccounts_audit_checkpoint_tree_size} and {@code
 * svcaccounts_audit_checkpoint_age_seconds} (NaN before the first checkpoint). The figures are the cluster's, the
 * same on every query node. They are read once a second in the background, so that a scrape never waits for the
 * database. And {@code svcaccounts_audit_signing_configured}: this node's, 1 when it signs checkpoints, 0 when it
 * was started without a signing key (whose checkpoint gauges then stay NaN, so no other alert would say it).
 */
@Component
class MerkleLogMetrics {

    /** The log's figures at one moment; NaN for what could not be read (the database is down). */
    record Reading(double leaves, double lagEvents, double lagSeconds, double checkpointTreeSize,
                   double checkpointAgeSeconds) {

        static final Reading UNKNOWN = new Reading(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private static final long REFRESH_MILLIS = 1_000;
    /** A reading older than this is no reading: the refresher is stuck on a database that does not answer. */
    private static final long STALE_NANOS = 5_000_000_000L;

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
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "merkle-log-metrics");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Reading last = Reading.UNKNOWN;
    private volatile long readAt = System.nanoTime();

    MerkleLogMetrics(JdbcTemplate jdbc, MerkleLogStore store, SigningKey signingKey, Clock clock,
                     MeterRegistry registry) {
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
        double signing = signingKey.configured() ? 1 : 0;
        Gauge.builder("svcaccounts.audit.signing.configured", () -> signing).description("1 when this query node "
                + "signs audit checkpoints, 0 when it was started without a signing key").register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String help, ToDoubleFunction<Reading> value) {
        Gauge.builder(name, this, self -> value.applyAsDouble(self.current())).description(help).register(registry);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }

    /**
     * The last reading, unless it is too old: a scrape never waits for the database (while it is down or frozen the
     * refresher waits instead, and the gauges show NaN; svcaccounts_database_up says why).
     */
    Reading current() {
        Reading reading = last;
        return System.nanoTime() - readAt > STALE_NANOS ? Reading.UNKNOWN : reading;
    }

    void refresh() {
        try {
            last = readNow();
            readAt = System.nanoTime();
        } catch (RuntimeException e) {
            last = Reading.UNKNOWN;
            readAt = System.nanoTime();
        }
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
