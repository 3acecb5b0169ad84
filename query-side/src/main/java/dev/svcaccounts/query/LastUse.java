package dev.svcaccounts.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * When and from where a token was last used, as {@code command_side.token_usage} holds it: written by the
 * credentials' TokenUsageRecorder on both sides (never here), exact to about a minute and visible up to one flush
 * interval late. Not derived from events: a replay neither clears nor rebuilds it, and no past value exists for
 * {@code ?at=}. Every token view reads it the same way: the token read model aliased {@code t}, joined in the
 * same statement.
 */
public record LastUse(Instant at, String ip) {

    /** The columns {@link #of} reads, to add to the select list. */
    public static final String COLUMNS = "u.last_used_at, u.last_used_ip";
    /** Joins the token rows (alias {@code t}) to their last use (alias {@code u}); none recorded: nulls. */
    public static final String JOIN = " LEFT JOIN command_side.token_usage u ON u.token_id = t.token_id ";

    /** From a row selected with {@link #COLUMNS}; {@code at} is null when no use was recorded. */
    public static LastUse of(ResultSet rs) throws SQLException {
        Timestamp at = rs.getTimestamp("last_used_at");
        return new LastUse(at == null ? null : at.toInstant(), rs.getString("last_used_ip"));
    }

    /** No use recorded since the token was issued. */
    public boolean never() {
        return at == null;
    }
}
