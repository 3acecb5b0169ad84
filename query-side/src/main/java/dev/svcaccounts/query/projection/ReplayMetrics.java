package dev.svcaccounts.query.projection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Replay progress per processing group, as {@code GET /v1/admin/projections} reports it (cluster-wide, from the
 * token store): {@code svcaccounts_replay_running} (1 while pausing or replaying), {@code
 * svcaccounts_replay_position_events} (the slowest segment's position) and {@code
 * svcaccounts_replay_target_position_events} (the head of the store at the reset: the replay is over there). Both
 * positions are 0 while no replay runs. One reading of every group's status serves every gauge of a scrape: it is
 * taken at most once a second.
 */
@Component
class ReplayMetrics {

    private static final long FRESH_NANOS = 1_000_000_000L;

    private final ProjectionStatuses statuses;
    private final MeterRegistry registry;
    private Map<String, ProjectionStatus> last = Map.of();
    private long readAt;
    private boolean read;

    ReplayMetrics(ProjectionStatuses statuses, MeterRegistry registry) {
        this.statuses = statuses;
        this.registry = registry;
    }

    @EventListener(ApplicationReadyEvent.class)
    void registerGauges() {
        for (String name : statuses.names()) {
            gauge("svcaccounts.replay.running", name, "1 while this processing group is being replayed (pausing or "
                    + "replaying), else 0", status -> status.replay() == null ? 0 : 1);
            gauge("svcaccounts.replay.position.events", name, "The position a replay has reached (its slowest "
                    + "segment); 0 when none runs", status -> position(status.replay(), true));
            gauge("svcaccounts.replay.target.position.events", name, "The position a replay must reach (the store's "
                    + "head at its reset); 0 when none runs", status -> position(status.replay(), false));
        }
    }

    private void gauge(String metric, String name, String help, ToDoubleFunction<ProjectionStatus> value) {
        Gauge.builder(metric, this, self -> {
            ProjectionStatus status = self.current().get(name);
            return status == null ? Double.NaN : value.applyAsDouble(status);
        }).tag("projection", name).description(help).register(registry);
    }

    private static double position(ProjectionStatus.ReplayStatus replay, boolean reached) {
        Long position = replay == null ? null : reached ? replay.position() : replay.resetPosition();
        return position == null ? 0 : Math.max(0, position);
    }

    /** Every group's status, read again when the last reading is more than a second old; empty when it failed. */
    private synchronized Map<String, ProjectionStatus> current() {
        long now = System.nanoTime();
        if (!read || now - readAt > FRESH_NANOS) {
            read = true;
            readAt = now;
            try {
                List<ProjectionStatus> all = statuses.all();
                last = all.stream().collect(Collectors.toMap(ProjectionStatus::name, status -> status));
            } catch (RuntimeException e) { // the database is down: the gauges show NaN, svcaccounts_database_up 0
                last = Map.of();
            }
        }
        return last;
    }
}
