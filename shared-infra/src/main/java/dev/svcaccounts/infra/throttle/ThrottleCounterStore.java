package dev.svcaccounts.infra.throttle;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code command_side.throttle_counter}: each node adds its counts per key and window, and reads back the totals.
 * One statement per sync and kind for the writes (arrays, whatever their number), one for the read.
 */
@Component
class ThrottleCounterStore {

    /** Adds each row's count to the stored one and answers the sums. Rows in key order: no deadlock between nodes. */
    private static final String ADD = """
            INSERT INTO command_side.throttle_counter AS c (bucket, throttle_key, window_start, count)
            SELECT ?, d.throttle_key, d.window_start, d.count
              FROM unnest(?::text[], ?::timestamptz[], ?::bigint[]) AS d(throttle_key, window_start, count)
             ORDER BY d.throttle_key, d.window_start
            ON CONFLICT (bucket, throttle_key, window_start) DO UPDATE SET count = c.count + EXCLUDED.count
            RETURNING c.throttle_key, c.window_start, c.count
            """;
    private static final String NEAR_LIMIT = """
            SELECT throttle_key, window_start, count FROM command_side.throttle_counter
             WHERE bucket = ? AND window_start >= ? AND count >= ?
             ORDER BY count DESC LIMIT ?
            """;

    private final JdbcTemplate jdbc;

    ThrottleCounterStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds the counts; answers the totals now stored for the same keys and windows. */
    List<ClusterCounters.Unsent> add(String bucket, List<ClusterCounters.Unsent> counts) {
        List<ClusterCounters.Unsent> sorted = new ArrayList<>(counts);
        sorted.sort(Comparator.comparing(ClusterCounters.Unsent::key)
                .thenComparingLong(ClusterCounters.Unsent::windowStart));
        return jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(ADD)) {
                statement.setString(1, bucket);
                statement.setArray(2, array(connection, "text",
                        sorted.stream().map(ClusterCounters.Unsent::key).toArray()));
                statement.setArray(3, array(connection, "timestamptz", sorted.stream()
                        .map(c -> Timestamp.from(Instant.ofEpochMilli(c.windowStart()))).toArray()));
                statement.setArray(4, array(connection, "int8",
                        sorted.stream().map(ClusterCounters.Unsent::count).toArray()));
                List<ClusterCounters.Unsent> totals = new ArrayList<>(sorted.size());
                try (var rs = statement.executeQuery()) {
                    while (rs.next()) {
                        totals.add(new ClusterCounters.Unsent(rs.getString(1), rs.getTimestamp(2).getTime(),
                                rs.getLong(3)));
                    }
                }
                return totals;
            }
        });
    }

    /** The totals of keys counted at least {@code atLeast} in windows from {@code since}, the highest first. */
    List<ClusterCounters.Unsent> nearLimit(String bucket, long since, long atLeast, int max) {
        return jdbc.query(NEAR_LIMIT, (rs, i) -> new ClusterCounters.Unsent(rs.getString(1),
                        rs.getTimestamp(2).getTime(), rs.getLong(3)),
                bucket, Timestamp.from(Instant.ofEpochMilli(since)), atLeast, max);
    }

    /** Forgets windows that ended before {@code before}. */
    int deleteBefore(String bucket, long before) {
        return jdbc.update("DELETE FROM command_side.throttle_counter WHERE bucket = ? AND window_start < ?",
                bucket, Timestamp.from(Instant.ofEpochMilli(before)));
    }

    private static Array array(Connection connection, String type, Object[] values) throws java.sql.SQLException {
        return connection.createArrayOf(type, values);
    }
}
