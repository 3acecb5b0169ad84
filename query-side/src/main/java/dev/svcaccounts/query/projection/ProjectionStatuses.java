package dev.svcaccounts.query.projection;

import dev.svcaccounts.query.processor.ProcessorProgress;
import dev.svcaccounts.query.processor.TrackingPositions;
import dev.svcaccounts.query.processor.TrackingPositions.Segment;
import dev.svcaccounts.query.projection.ProjectionStatus.LastReplay;
import dev.svcaccounts.query.projection.ProjectionStatus.ReplayStatus;
import dev.svcaccounts.query.projection.ProjectionStatus.SegmentStatus;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * The status of every query-side processing group, cluster-wide: positions and owners from the token store, replays
 * from {@code projection_replay}, never from this node's processors, which know only the segments they claimed.
 */
@Component
class ProjectionStatuses {

    private final ProcessorProgress processors;
    private final TrackingPositions positions;
    private final ReplayTable replays;
    private final EventStore eventStore;
    private final JdbcTemplate jdbc;
    private final EventSchema events;

    ProjectionStatuses(ProcessorProgress processors, TrackingPositions positions, ReplayTable replays,
                       EventStore eventStore, JdbcTemplate jdbc, EventSchema events) {
        this.processors = processors;
        this.positions = positions;
        this.replays = replays;
        this.eventStore = eventStore;
        this.jdbc = jdbc;
        this.events = events;
    }

    /** The streaming processing groups of the query side, by name; every query node runs the same ones. */
    List<String> names() {
        return List.copyOf(processors.processors().keySet());
    }

    List<ProjectionStatus> all() {
        long head = head();
        Map<String, Replay> running = replays.running();
        Map<String, Replay> ended = replays.lastEnded();
        return names().stream().map(name -> status(name, head, running.get(name), ended.get(name))).toList();
    }

    Optional<ProjectionStatus> of(String name) {
        if (!names().contains(name)) {
            return Optional.empty();
        }
        return Optional.of(status(name, head(), replays.running().get(name), replays.lastEnded().get(name)));
    }

    /** The position of the newest event in the store; 0 when it is empty. */
    long head() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? 0 : head.position().orElse(0);
    }

    /**
     * The position up to which every segment has handled every event in the store. Below a segment's position, a
     * gap that a committed event now holds is an event the segment has yet to handle (its transaction committed
     * after a later one); a gap no event holds is an append that rolled back, which Axon keeps in the token for a
     * long time but which is no event, so it must not hold the position back.
     */
    private long handledUpTo(String group, List<Segment> segments) {
        if (segments.stream().allMatch(s -> s.safePosition() == s.position())) {
            return segments.stream().mapToLong(Segment::position).min().orElse(-1);
        }
        Map<Integer, SortedSet<Long>> gaps = positions.gaps(group);
        Set<Long> late = eventsAt(gaps.values().stream().flatMap(Set::stream).collect(Collectors.toSet()));
        return segments.stream().mapToLong(s -> gaps.getOrDefault(s.segment(), Collections.emptySortedSet()).stream()
                .filter(late::contains).findFirst().map(gap -> Math.min(gap - 1, s.position())).orElse(s.position()))
                .min().orElse(-1);
    }

    /** Those of {@code positions} that hold an event now. */
    private Set<Long> eventsAt(Set<Long> positions) {
        if (positions.isEmpty()) {
            return Set.of();
        }
        String list = positions.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return new HashSet<>(jdbc.queryForList("SELECT " + events.globalIndexColumn()
                + " FROM " + events.domainEventTable()
                + " WHERE " + events.globalIndexColumn() + " IN (" + list + ")", Long.class));
    }

    private ProjectionStatus status(String name, long head, Replay running, Replay ended) {
        List<Segment> segments = positions.segments(name);
        long position = handledUpTo(name, segments);
        long lag = Math.max(0, head - Math.max(0, position));
        String state;
        ReplayStatus replay = null;
        if (running != null && running.state() == ReplayState.PAUSING) {
            state = "pausing";
            replay = new ReplayStatus(running.requestedAt(), running.requestedBy(), running.reason(),
                    null, null, null, 0);
        } else if (running != null || segments.stream().anyMatch(Segment::replaying)) {
            state = "replaying";
            ReplayProgress progress = ReplayProgress.of(segments, running == null ? null : running.resetPosition());
            replay = running == null
                    ? new ReplayStatus(null, null, null, null,
                            progress.resetPosition(), progress.position(), progress.percent())
                    : new ReplayStatus(running.requestedAt(), running.requestedBy(), running.reason(),
                            running.startedAt(), progress.resetPosition(), progress.position(), progress.percent());
        } else if (segments.stream().allMatch(s -> s.owner() == null)) {
            state = "stopped";
        } else {
            state = "live";
        }
        LastReplay last = ended == null ? null : new LastReplay(ended.state().column(), ended.requestedAt(),
                ended.requestedBy(), ended.reason(), ended.startedAt(), ended.resetPosition(), ended.endedAt(),
                ended.note());
        List<SegmentStatus> segmentStatuses = segments.stream()
                .map(s -> new SegmentStatus(s.segment(), s.owner(), s.position(), s.replaying()))
                .toList();
        return new ProjectionStatus(name, state, position, head, lag, segmentStatuses, replay, last);
    }
}
