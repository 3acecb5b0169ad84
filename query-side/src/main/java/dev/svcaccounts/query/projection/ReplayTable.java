package dev.svcaccounts.query.projection;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code query_side.projection_replay}: the replays asked for and how far each got, shared by every query node.
 * Each transition is one conditional statement, so that of several nodes attempting it exactly one succeeds; times
 * come from the database's clock, which all nodes share.
 */
@Repository
class ReplayTable {

    private static final String COLUMNS =
            "id, processing_group, state, requested_at, requested_by, request_id, reason, "
                    + "started_at, reset_position, reset_by, ended_at, note";

    private final JdbcTemplate jdbc;

    ReplayTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A new replay, pausing; empty when one of this group is already pausing or replaying. */
    Optional<Replay> request(String group, String requestedBy, String requestId, String reason) {
        try {
            return Optional.ofNullable(jdbc.queryForObject("INSERT INTO query_side.projection_replay "
                            + "(processing_group, state, requested_at, requested_by, request_id, reason) "
                            + "VALUES (?, 'pausing', now(), ?, ?, ?) RETURNING " + COLUMNS,
                    this::replay, group, requestedBy, requestId, reason));
        } catch (DuplicateKeyException e) {
            return Optional.empty();
        }
    }

    /** The replays pausing or replaying now, by processing group. */
    Map<String, Replay> running() {
        Map<String, Replay> running = new HashMap<>();
        jdbc.query("SELECT " + COLUMNS + " FROM query_side.projection_replay WHERE state IN ('pausing', 'replaying')",
                rs -> {
                    Replay replay = replay(rs, 0);
                    running.put(replay.group(), replay);
                });
        return running;
    }

    /** The newest finished or abandoned replay of each processing group that had one. */
    Map<String, Replay> lastEnded() {
        Map<String, Replay> ended = new HashMap<>();
        jdbc.query("SELECT DISTINCT ON (processing_group) " + COLUMNS + " FROM query_side.projection_replay "
                + "WHERE state IN ('finished', 'abandoned') ORDER BY processing_group, id DESC", rs -> {
            Replay replay = replay(rs, 0);
            ended.put(replay.group(), replay);
        });
        return ended;
    }

    /**
     * Locks the replay for its reset, in the caller's transaction: false when it is no longer pausing or another
     * node holds the lock (it is resetting it now).
     */
    boolean lockForReset(long id) {
        List<Long> locked = jdbc.queryForList("SELECT id FROM query_side.projection_replay "
                + "WHERE id = ? AND state = 'pausing' FOR UPDATE SKIP LOCKED", Long.class, id);
        return !locked.isEmpty();
    }

    /** Records the reset, in the transaction that reset the tokens; returns the replay as it is now. */
    Replay markReset(long id, long resetPosition, String node) {
        return jdbc.queryForObject("UPDATE query_side.projection_replay SET state = 'replaying', started_at = now(), "
                        + "reported_at = now(), reset_position = ?, reset_by = ? WHERE id = ? RETURNING " + COLUMNS,
                this::replay, resetPosition, node, id);
    }

    /** Ends a replay whose nodes did not all let go within {@code timeout} of the request; false if not due. */
    boolean abandonIfPausedLongerThan(long id, Duration timeout, String note) {
        return jdbc.update("UPDATE query_side.projection_replay SET state = 'abandoned', ended_at = now(), note = ? "
                        + "WHERE id = ? AND state = 'pausing' AND requested_at < now() - ? * interval '1 millisecond'",
                note, id, timeout.toMillis()) == 1;
    }

    /**
     * Takes this interval's progress line for the calling node: true for one node at most per {@code interval},
     * so the cluster logs the progress once, whichever nodes run.
     */
    boolean claimProgressLine(long id, Duration interval) {
        return jdbc.update("UPDATE query_side.projection_replay SET reported_at = now() WHERE id = ? "
                        + "AND state = 'replaying' AND reported_at <= now() - ? * interval '1 millisecond'",
                id, interval.toMillis()) == 1;
    }

    /** Marks the replay finished; the finished replay for the one node that did so, empty for the others. */
    Optional<Replay> finish(long id) {
        return jdbc.query("UPDATE query_side.projection_replay SET state = 'finished', ended_at = now() "
                + "WHERE id = ? AND state = 'replaying' RETURNING " + COLUMNS, this::replay, id).stream().findFirst();
    }

    private Replay replay(ResultSet rs, int row) throws SQLException {
        Long resetPosition = rs.getObject("reset_position", Long.class);
        return new Replay(rs.getLong("id"), rs.getString("processing_group"), ReplayState.of(rs.getString("state")),
                instant(rs.getTimestamp("requested_at")), rs.getString("requested_by"), rs.getString("request_id"),
                rs.getString("reason"), instant(rs.getTimestamp("started_at")), resetPosition,
                rs.getString("reset_by"), instant(rs.getTimestamp("ended_at")), rs.getString("note"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
