package dev.svcaccounts.query.integrity;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The position up to which the event store can no longer change: every position at or below it holds its event or
 * never will. Exact, where {@code AuditWatermark} may also settle a hole by its age: a leaf, once appended, is final.
 *
 * <p>An insert into the event store takes the table's RowExclusiveLock before it draws its position and keeps it
 * until its transaction ends. So: read the sequence's last drawn value {@code S}; then note the transactions holding
 * that lock; once all of them have ended, every position up to {@code S} was drawn by a transaction that has ended,
 * committed (its row is visible to a new statement) or rolled back (its hole stays empty). The wait is the length of
 * the inserts in flight, a few milliseconds.
 */
@Component
public class SettledStore {

    private static final String HOLDERS = """
            SELECT virtualtransaction FROM pg_locks
             WHERE relation = to_regclass('command_side.domain_event_entry') AND mode = 'RowExclusiveLock'
               AND pid <> pg_backend_pid()
            """;
    private static final String STILL_HOLDING = """
            SELECT count(*) FROM pg_locks
             WHERE relation = to_regclass('command_side.domain_event_entry') AND mode = 'RowExclusiveLock'
               AND virtualtransaction = ANY (?)
            """;

    private final JdbcTemplate jdbc;
    private final String lastDrawn;

    public SettledStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.lastDrawn = "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM "
                + "command_side.domain_event_entry_global_index_seq";
    }

    /**
     * The settled position, or -1 when an insert is still running after {@code maxWaitMillis} (then nothing new is
     * settled; the next call tries again).
     */
    public long settledUpTo(long maxWaitMillis) {
        Long drawn = jdbc.queryForObject(lastDrawn, Long.class);
        List<String> holders = jdbc.queryForList(HOLDERS, String.class);
        long deadline = System.nanoTime() + maxWaitMillis * 1_000_000;
        while (!holders.isEmpty()) {
            Long holding = jdbc.queryForObject(STILL_HOLDING, Long.class, (Object) holders.toArray(String[]::new));
            if (holding == null || holding == 0) {
                break;
            }
            if (System.nanoTime() > deadline) {
                return -1;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return drawn == null ? 0 : drawn;
    }
}
