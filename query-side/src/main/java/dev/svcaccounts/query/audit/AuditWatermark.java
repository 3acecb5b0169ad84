package dev.svcaccounts.query.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The position up to which the audit trail is final: every event at or below it has its entry, and no event can
 * still appear below it. Two things could otherwise put an entry behind a cursor a client has already passed:
 * <ul>
 *   <li>the "audit" processor's segments write entries in parallel, so a later position can be written first;</li>
 *   <li>the store's positions come from a sequence, so a transaction that commits late leaves a hole below events
 *       already visible, filled when it commits, or never when it rolled back (PostgreSQL also skips up to 32
 *       sequence values when it restarts).</li>
 * </ul>
 * So the mark stops before the first stored event without its entry (in the workspaces' trail, or in the platform's for
 * the events outside any workspace, which the same processor writes), and before the first hole that may still be
 * filled. A hole is settled when no transaction is inserting into the event store (an insert holds its table lock
 * from before it draws its position until it ends), or when the event after it is older than
 * {@link #SETTLE_SECONDS}. The token store cannot tell any of this: an idle segment does not store its progress.
 *
 * <p>Each computation starts from the last mark, so it usually reads a few events. The first one after a start or
 * a replay reads the whole store: it goes in steps of {@link #STEP} events, one statement each (a single statement
 * over two million events took 9 s, beyond the socket timeout of every statement), keeping the mark reached after
 * each; and a node computes it once at start, in the background, rather than in its first audit request.
 */
@Component
class AuditWatermark {

    /** Beyond this, a hole's transaction is taken as rolled back even while other inserts keep the store busy. */
    static final int SETTLE_SECONDS = 5;
    /** Events read by one statement at most (about 0.25 s on a quiet 2-core machine). */
    static final long STEP = 50_000;

    private static final Logger log = LoggerFactory.getLogger(AuditWatermark.class);

    /** The first unapplied event and the first unsettled hole after {@code ?} up to {@code ?}, and the head there. */
    private static final String SCAN = """
            WITH stored AS (
                SELECT e.global_index, e.time_stamp, a.position IS NOT NULL OR p.position IS NOT NULL AS applied,
                       coalesce(lag(e.global_index) OVER (ORDER BY e.global_index), ?) AS previous
                  FROM command_side.domain_event_entry e
                  LEFT JOIN query_side.audit_entry a ON a.position = e.global_index
                  LEFT JOIN query_side.platform_audit_entry p ON p.position = e.global_index
                 WHERE e.global_index > ? AND e.global_index <= ?
            )
            SELECT min(global_index - 1) FILTER (WHERE NOT applied) AS unapplied,
                   min(previous) FILTER (WHERE global_index > previous + 1 AND global_index > ?
                                           AND CAST(time_stamp AS timestamptz)
                                               > now() - make_interval(secs => ?)) AS hole,
                   max(global_index) AS head
              FROM stored
            """;

    private static final String SOMEONE_INSERTING = """
            SELECT EXISTS (SELECT 1 FROM pg_locks
                            WHERE relation = to_regclass('command_side.domain_event_entry')
                              AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid())
            """;

    private record Scan(Long unapplied, Long hole, Long head) {

        long mark(long from) {
            long mark = head == null ? from : head;
            if (unapplied != null) {
                mark = Math.min(mark, unapplied);
            }
            return hole == null ? mark : Math.min(mark, hole);
        }
    }

    private final JdbcTemplate jdbc;
    /** The last mark computed here (0: none): the next computation starts from it instead of the first event. */
    private final AtomicLong known = new AtomicLong(0);

    AuditWatermark(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long completeUpTo() {
        long from = known.get();
        if (from > 0 && !stillApplied(from)) {
            from = 0; // the trail was reset for a replay: it is being rebuilt from the first event
        }
        long mark = from;
        Long next;
        while ((next = firstEventAfter(mark)) != null) {
            long upTo = next + STEP - 1;
            Scan scan = scan(mark, mark, upTo);
            if (scan.hole() != null && (scan.unapplied() == null || scan.hole() < scan.unapplied())
                    && !Boolean.TRUE.equals(jdbc.queryForObject(SOMEONE_INSERTING, Boolean.class))) {
                // nobody is inserting now, so every hole seen in that scan has ended: committed since (then the scan
                // again finds its event, not applied yet) or rolled back for good
                scan = scan(mark, scan.head(), upTo);
            }
            long reached = scan.mark(mark);
            known.set(reached);
            if (reached < scan.head()) {
                return reached; // an event without its entry, or a hole that may still be filled
            }
            mark = reached;
        }
        known.set(mark);
        return mark;
    }

    /** At start, in the background: the first computation may read the whole store. */
    @EventListener(ApplicationReadyEvent.class)
    void computeOnceStarted() {
        Thread thread = new Thread(() -> {
            try {
                long started = System.nanoTime();
                long mark = completeUpTo();
                log.info("Audit trail complete up to position {} ({} ms)", mark,
                        (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                log.warn("Could not compute the audit trail's watermark at start; the first audit request will: {}",
                        e.getMessage());
            }
        }, "audit-watermark");
        thread.setDaemon(true);
        thread.start();
    }

    private Long firstEventAfter(long position) {
        return jdbc.queryForObject(
                "SELECT min(global_index) FROM command_side.domain_event_entry WHERE global_index > ?", Long.class,
                position);
    }

    private Scan scan(long from, long settledUpTo, long upTo) {
        return jdbc.queryForObject(SCAN, (rs, i) -> new Scan(nullable(rs.getLong("unapplied"), rs.wasNull()),
                nullable(rs.getLong("hole"), rs.wasNull()), nullable(rs.getLong("head"), rs.wasNull())),
                from, from, upTo, settledUpTo, SETTLE_SECONDS);
    }

    private static Long nullable(long value, boolean wasNull) {
        return wasNull ? null : value;
    }

    /** Whether the trail still holds the last hundred events up to the mark. */
    private boolean stillApplied(long mark) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT NOT EXISTS (SELECT 1 FROM command_side.domain_event_entry e
                                    WHERE e.global_index <= ? AND e.global_index > ? - 100
                                      AND NOT EXISTS (SELECT 1 FROM query_side.audit_entry a
                                                       WHERE a.position = e.global_index)
                                      AND NOT EXISTS (SELECT 1 FROM query_side.platform_audit_entry p
                                                       WHERE p.position = e.global_index))
                """, Boolean.class, mark, mark));
    }
}
