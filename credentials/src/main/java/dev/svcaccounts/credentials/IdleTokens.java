package dev.svcaccounts.credentials;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The working tokens that have gone unused for longer than their workspace's credential policy allows, for the
 * command side's idle sweeper: from the credential tables, {@code command_side.token_usage} (last uses, exact to
 * about a minute plus the flush interval: see {@link TokenUsageRecorder}) and {@code command_side.token_idle_policy}.
 * Only candidates: the Workspace aggregate decides each again before it revokes it.
 */
@Component
public class IdleTokens {

    /**
     * A token found idle.
     *
     * @param lastUsedAt  its last recorded use, null if none
     * @param maxIdleDays the workspace's maximum idle time when it was found
     */
    public record Candidate(String workspaceId, String tokenId, Instant lastUsedAt, int maxIdleDays) {
    }

    // GREATEST ignores a null idle_counts_from: then idle time counts from the last use, or the issue
    private static final String IDLE = """
            SELECT t.workspace_id, t.token_id, u.last_used_at, p.max_idle_days
              FROM command_side.token_idle_policy p
              JOIN command_side.auth_token t ON t.workspace_id = p.workspace_id
              LEFT JOIN command_side.token_usage u ON u.token_id = t.token_id
             WHERE t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)
               AND GREATEST(coalesce(u.last_used_at, t.issued_at), t.issued_at, p.idle_counts_from)
                   + make_interval(days => p.max_idle_days) <= ?
             ORDER BY t.workspace_id, t.token_id
             LIMIT ?
            """;

    private final JdbcTemplate jdbc;

    IdleTokens(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** At most {@code limit} idle tokens at {@code now}, by workspace. */
    public List<Candidate> find(Instant now, int limit) {
        Timestamp at = Timestamp.from(now);
        return jdbc.query(IDLE, (rs, i) -> {
            Timestamp lastUsed = rs.getTimestamp("last_used_at");
            return new Candidate(rs.getString("workspace_id"), rs.getString("token_id"),
                    lastUsed == null ? null : lastUsed.toInstant(), rs.getInt("max_idle_days"));
        }, at, at, limit);
    }
}
