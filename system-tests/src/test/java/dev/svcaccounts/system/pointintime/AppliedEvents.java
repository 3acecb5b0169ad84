package dev.svcaccounts.system.pointintime;

import com.zaxxer.hikari.HikariDataSource;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.RunningSystem;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Waits until query-side processors have applied a workspace's events, while other workspaces are written at the
 * same time. A processor's position alone does not say it: an event committed a moment after a later one is a
 * gap below the position until the processor has seen it. So each of the workspace's new events, by global index,
 * must be at or below every segment's position and none of its gaps.
 */
public final class AppliedEvents implements AutoCloseable {

    private static final Duration AT_MOST = Duration.ofSeconds(30);

    private final RunningSystem system;
    private final List<String> processors;
    private final HikariDataSource pool;
    private final JdbcTemplate jdbc;

    /** {@code connections}: for the one short query per wait; a thread waits for a free one if need be. */
    public AppliedEvents(RunningSystem system, List<String> processors, int connections) {
        this.system = system;
        this.processors = processors;
        Database database = system.database();
        pool = new HikariDataSource();
        pool.setJdbcUrl(database.url());
        pool.setUsername(database.user());
        pool.setPassword(database.password());
        pool.setMaximumPoolSize(connections);
        jdbc = new JdbcTemplate(pool);
    }

    /**
     * Until every segment of each processor has handled each event of {@code ws} beyond global index
     * {@code after}; returns the last one's index, or {@code after} if there is none (a refused command).
     */
    public long await(String ws, long after) {
        List<Long> indexes = jdbc.queryForList("SELECT global_index FROM command_side.domain_event_entry "
                + "WHERE aggregate_identifier = ? AND global_index > ? ORDER BY global_index", Long.class, ws, after);
        if (indexes.isEmpty()) {
            return after;
        }
        long deadline = System.nanoTime() + AT_MOST.toNanos();
        while (!processors.stream().allMatch(name -> handled(system.queryProcessor(name), indexes))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the processors " + processors + " did not apply the events " + indexes
                        + " of " + ws + " within " + AT_MOST.toSeconds() + " s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return indexes.get(indexes.size() - 1);
    }

    private static boolean handled(StreamingEventProcessor processor, List<Long> indexes) {
        Collection<EventTrackerStatus> segments = processor.processingStatus().values();
        double covered = segments.stream().mapToDouble(s -> 1.0 / (s.getSegment().getMask() + 1)).sum();
        return Math.abs(covered - 1.0) < 1e-9 && segments.stream().allMatch(segment -> !segment.isErrorState()
                && indexes.stream().allMatch(index -> handled(segment.getTrackingToken(), index)));
    }

    private static boolean handled(TrackingToken token, long index) {
        TrackingToken position = WrappedToken.unwrapLowerBound(token);
        if (position instanceof GapAwareTrackingToken gapAware) {
            return gapAware.getIndex() >= index && !gapAware.getGaps().contains(index);
        }
        return position != null && position.position().orElse(-1) >= index;
    }

    @Override
    public void close() {
        pool.close();
    }
}
