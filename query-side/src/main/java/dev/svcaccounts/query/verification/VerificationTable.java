package dev.svcaccounts.query.verification;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code query_side.audit_verification}, shared by every query node. Each transition is one conditional statement,
 * so that of several nodes attempting it exactly one succeeds; times come from the database's clock.
 */
@Repository
class VerificationTable {

    private static final String COLUMNS = "id, status, requested_at, requested_by, finished_at, checked_events, "
            + "total_events, checkpoints_checked, failure_kind, failure_leaf_index, failure_position, "
            + "failure_tree_size, failure_detail, message";

    private final JdbcTemplate jdbc;

    VerificationTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A new running verification, not yet taken by a node; empty when one is running already. */
    Optional<Verification> request(String requestedBy, String requestId, String reason) {
        return jdbc.query("INSERT INTO query_side.audit_verification (id, status, requested_at, requested_by, "
                        + "request_id, reason, total_events) VALUES (?, 'running', now(), ?, ?, ?, (SELECT "
                        + "coalesce(max(leaf_index) + 1, 0) FROM query_side.merkle_leaf)) ON CONFLICT DO NOTHING "
                        + "RETURNING " + COLUMNS, this::verification, UUID.randomUUID().toString(), requestedBy,
                requestId, reason).stream().findFirst();
    }

    Optional<Verification> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM query_side.audit_verification WHERE id = ?",
                this::verification, id).stream().findFirst();
    }

    Optional<Verification> running() {
        return jdbc.query("SELECT " + COLUMNS + " FROM query_side.audit_verification WHERE status = 'running'",
                this::verification).stream().findFirst();
    }

    /** Takes the running verification no node has taken yet for {@code node}: its id, or empty. */
    Optional<String> claim(String node) {
        List<String> taken = jdbc.queryForList("UPDATE query_side.audit_verification SET node = ?, heartbeat_at = now()"
                + " WHERE status = 'running' AND node IS NULL RETURNING id", String.class, node);
        return taken.stream().findFirst();
    }

    /** Records progress as the heartbeat of {@code node}'s run; false when the verification is no longer its own. */
    boolean progress(String id, String node, long checkedEvents, long totalEvents, long checkpointsChecked) {
        return jdbc.update("UPDATE query_side.audit_verification SET heartbeat_at = now(), checked_events = ?, "
                        + "total_events = ?, checkpoints_checked = ? WHERE id = ? AND node = ? AND status = 'running'",
                checkedEvents, totalEvents, checkpointsChecked, id, node) == 1;
    }

    /** Ends {@code node}'s run: passed, or failed with its first failure. */
    void finish(String id, String node, StoreVerifier.Outcome outcome) {
        Failure failure = outcome.failure();
        jdbc.update("UPDATE query_side.audit_verification SET status = ?, finished_at = now(), heartbeat_at = now(), "
                        + "checked_events = ?, total_events = ?, checkpoints_checked = ?, failure_kind = ?, "
                        + "failure_leaf_index = ?, failure_position = ?, failure_tree_size = ?, failure_detail = ? "
                        + "WHERE id = ? AND node = ? AND status = 'running'",
                failure == null ? Verification.PASSED : Verification.FAILED, outcome.checkedEvents(),
                outcome.totalEvents(), outcome.checkpointsChecked(), failure == null ? null : failure.kind(),
                failure == null ? null : failure.leafIndex(), failure == null ? null : failure.position(),
                failure == null ? null : failure.treeSize(), failure == null ? null : failure.detail(), id, node);
    }

    /** Ends {@code node}'s run without a result: {@code error} or {@code abandoned}, with why. */
    void end(String id, String node, String status, String message) {
        jdbc.update("UPDATE query_side.audit_verification SET status = ?, finished_at = now(), message = ? "
                + "WHERE id = ? AND node = ? AND status = 'running'", status, message, id, node);
    }

    /** Abandons a running verification whose node has not reported for {@code lease}; true if one was. */
    boolean abandonStale(Duration lease) {
        return jdbc.update("UPDATE query_side.audit_verification SET status = 'abandoned', finished_at = now(), "
                + "message = ? WHERE status = 'running' AND coalesce(heartbeat_at, requested_at) < now() - ? * "
                + "interval '1 millisecond'", "The query node running it stopped reporting progress for more than "
                + lease.toSeconds() + " s (it stopped or lost the database); ask for a new verification.",
                lease.toMillis()) > 0;
    }

    private Verification verification(ResultSet rs, int row) throws SQLException {
        String kind = rs.getString("failure_kind");
        Failure failure = kind == null ? null : new Failure(kind, rs.getObject("failure_leaf_index", Long.class),
                rs.getObject("failure_position", Long.class), rs.getObject("failure_tree_size", Long.class),
                rs.getString("failure_detail"));
        return new Verification(rs.getString("id"), rs.getString("status"), instant(rs.getTimestamp("requested_at")),
                rs.getString("requested_by"), instant(rs.getTimestamp("finished_at")),
                new Verification.Progress(rs.getLong("checked_events"), rs.getLong("total_events")),
                rs.getLong("checkpoints_checked"), failure, rs.getString("message"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
