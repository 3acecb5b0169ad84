package dev.svcaccounts.query.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The position up to which the audit trail is final: every event at or below it has its entry, and no event can
 * still appear below it. Two things could otherwise put an entry behind a cursor a client has already passed:
 * <ul>
 *   <li>the "audit" processor's segments write entries in parallel, so a later position can be written first;</li>
 *   <li>the store's positions come from a sequence, so a transaction that commits late leaves a hole below events
 *       already visible, filled when it commits (or never, when it rolled back).</li>
 * </ul>
 * So the mark stops before the first stored event that has no entry yet, and before the first hole whose next
 * event is younger than {@link #SETTLE_SECONDS}: an older hole belongs to a transaction that rolled back.
 * The token store cannot tell this: an idle segment does not store its progress.
 */
@Component
class AuditWatermark {

    /** A command's transaction commits within milliseconds of its events' time; this is its upper bound. */
    static final int SETTLE_SECONDS = 5;

    private static final String BLOCKED_OR_HEAD = """
            WITH stored AS (
                SELECT e.global_index, e.time_stamp, a.position IS NOT NULL AS applied,
                       lag(e.global_index) OVER (ORDER BY e.global_index) AS previous
                  FROM command_side.domain_event_entry e
                  LEFT JOIN query_side.audit_entry a ON a.position = e.global_index
                 WHERE e.global_index > ?
            )
            SELECT min(CASE
                         WHEN NOT applied THEN global_index - 1
                         WHEN global_index > coalesce(previous, ?) + 1
                              AND CAST(time_stamp AS timestamptz) > now() - make_interval(secs => ?)
                           THEN coalesce(previous, ?)
                       END) AS blocked,
                   max(global_index) AS head
              FROM stored
            """;

    private final JdbcTemplate jdbc;
    /** The last mark computed here (0: none): the next computation starts from it instead of the first event. */
    private final AtomicLong known = new AtomicLong(0);

    AuditWatermark(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long completeUpTo() {
        long from = Math.max(known.get(), 0); // positions start at 1
        if (from > 0 && !stillApplied(from)) {
            from = 0; // the trail was reset for a replay: it is being rebuilt from the first event
        }
        long start = from;
        long mark = jdbc.queryForObject(BLOCKED_OR_HEAD, (rs, i) -> {
            long blocked = rs.getLong("blocked");
            if (!rs.wasNull()) {
                return blocked;
            }
            long head = rs.getLong("head");
            return rs.wasNull() ? start : head;
        }, start, start, SETTLE_SECONDS, start);
        known.set(mark);
        return mark;
    }

    /** Whether the trail still holds everything up to the mark; a hole at the mark itself proves nothing. */
    private boolean stillApplied(long mark) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT NOT EXISTS (SELECT 1 FROM command_side.domain_event_entry e
                                    WHERE e.global_index <= ? AND e.global_index > ? - 100
                                      AND NOT EXISTS (SELECT 1 FROM query_side.audit_entry a WHERE a.position = e.global_index))
                """, Boolean.class, mark, mark));
    }
}
