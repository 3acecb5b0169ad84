package dev.svcaccounts.query.audit;

import dev.svcaccounts.query.ReadModelDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit trail is shown up to the position below which nothing can still appear. */
class AuditWatermarkIT {

    private final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    private AuditWatermark watermark;

    @BeforeEach
    void emptyStore() {
        ReadModelDatabase.emptyEventStore();
        ReadModelDatabase.clear();
        watermark = new AuditWatermark(jdbc);
    }

    @Test
    void anEmptyStore_hasNothingComplete() {
        assertThat(watermark.completeUpTo()).isZero();
    }

    @Test
    void everyEventApplied_everythingIsComplete() {
        for (long p = 1; p <= 5; p++) {
            stored(p, Instant.now());
            applied(p);
        }
        assertThat(watermark.completeUpTo()).isEqualTo(5);
    }

    @Test
    void anEventOutsideAnyWorkspace_countsAsAppliedOnceThePlatformTrailHasIt() {
        // an introspection client registered between workspace events: its entry is in the platform's trail only
        for (long p = 1; p <= 5; p++) {
            stored(p, Instant.now());
            if (p != 3) {
                applied(p);
            }
        }
        assertThat(watermark.completeUpTo()).isEqualTo(2);
        jdbc.update("""
                INSERT INTO query_side.platform_audit_entry (position, event_id, occurred_at, type, subject_type,
                                                             subject_id, details)
                VALUES (3, 'event-3', now(), 'introspection_client.registered', 'introspection_client', 'c', '{}')
                """);
        assertThat(watermark.completeUpTo()).isEqualTo(5);
    }

    @Test
    void anEventNotYetApplied_stopsTheMarkBeforeIt_evenWhenLaterOnesAre() {
        for (long p = 1; p <= 5; p++) {
            stored(p, Instant.now());
            if (p != 3) {
                applied(p);
            }
        }
        assertThat(watermark.completeUpTo()).isEqualTo(2);
        applied(3);
        assertThat(watermark.completeUpTo()).isEqualTo(5);
    }

    @Test
    void aHoleWhoseTransactionIsStillOpen_stopsTheMark_untilItsEventIsApplied() throws Exception {
        try (Connection slow = slowTransactionInserting(3)) {
            for (long p : new long[]{1, 2, 4, 5}) {
                stored(p, Instant.now());
                applied(p);
            }
            assertThat(watermark.completeUpTo()).isEqualTo(2);
            slow.commit();
        }
        assertThat(watermark.completeUpTo()).as("committed, not yet applied").isEqualTo(2);
        applied(3);
        assertThat(watermark.completeUpTo()).isEqualTo(5);
    }

    @Test
    void aHoleWhoseTransactionRolledBack_isSettledAtOnce() throws Exception {
        try (Connection slow = slowTransactionInserting(3)) {
            for (long p : new long[]{1, 2, 4, 5}) {
                stored(p, Instant.now());
                applied(p);
            }
            assertThat(watermark.completeUpTo()).isEqualTo(2);
            slow.rollback();
        }
        assertThat(watermark.completeUpTo()).isEqualTo(5);
    }

    @Test
    void anOldHole_isSettled_evenWhileOtherInsertsKeepTheStoreBusy() throws Exception {
        Instant old = Instant.now().minusSeconds(AuditWatermark.SETTLE_SECONDS + 5);
        for (long p : new long[]{1, 2, 4, 5}) {
            stored(p, old);
            applied(p);
        }
        try (Connection busy = slowTransactionInserting(100)) {
            assertThat(watermark.completeUpTo()).isEqualTo(5);
            busy.rollback();
        }
    }

    @Test
    void aFreshHole_whileOtherInsertsKeepTheStoreBusy_waitsUntilItSettles() throws Exception {
        for (long p : new long[]{1, 2, 4, 5}) {
            stored(p, Instant.now());
            applied(p);
        }
        try (Connection busy = slowTransactionInserting(100)) {
            assertThat(watermark.completeUpTo()).isEqualTo(2);
            busy.rollback();
        }
        assertThat(watermark.completeUpTo()).isEqualTo(5);
    }

    @Test
    void aResetTrail_isCompleteOnlyAsFarAsItIsRebuilt() {
        for (long p = 1; p <= 5; p++) {
            stored(p, Instant.now());
            applied(p);
        }
        assertThat(watermark.completeUpTo()).isEqualTo(5);
        jdbc.update("DELETE FROM query_side.audit_entry"); // what the reset handler does before a replay
        assertThat(watermark.completeUpTo()).isZero();
        applied(1);
        applied(2);
        assertThat(watermark.completeUpTo()).isEqualTo(2);
    }

    @Test
    void aStoreLargerThanOneStep_isReadInSteps_andStillStopsAtTheFirstEventWithoutItsEntry() {
        long events = 2 * AuditWatermark.STEP + 500;
        long missing = AuditWatermark.STEP + 100;
        Instant old = Instant.now().minusSeconds(AuditWatermark.SETTLE_SECONDS + 5);
        jdbc.update("INSERT INTO command_side.domain_event_entry (global_index, time_stamp) "
                + "SELECT p, ? FROM generate_series(1, ?) p", old.toString(), events);
        jdbc.update("""
                INSERT INTO query_side.audit_entry (position, event_id, workspace_id, occurred_at, type, subject_type,
                                                    subject_id, details)
                SELECT p, 'event-' || p, 'ws', now(), 'workspace.created', 'workspace', 'ws', '{}'::jsonb
                  FROM generate_series(1, ?) p WHERE p <> ?
                """, events, missing);

        assertThat(watermark.completeUpTo()).isEqualTo(missing - 1);
        applied(missing);
        assertThat(watermark.completeUpTo()).isEqualTo(events);
        assertThat(new AuditWatermark(jdbc).completeUpTo()).as("a node that starts now").isEqualTo(events);
    }

    /** Another transaction that has inserted an event and not ended: it holds the store's insert lock. */
    private Connection slowTransactionInserting(long position) throws SQLException {
        Connection connection = jdbc.getDataSource().getConnection();
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO command_side.domain_event_entry (global_index, time_stamp) VALUES (?, ?)")) {
            insert.setLong(1, position);
            insert.setString(2, Instant.now().toString());
            insert.executeUpdate();
        }
        return connection;
    }

    private void stored(long position, Instant time) {
        jdbc.update("INSERT INTO command_side.domain_event_entry (global_index, time_stamp) VALUES (?, ?)", position,
                time.toString());
    }

    private void applied(long position) {
        jdbc.update("""
                INSERT INTO query_side.audit_entry (position, event_id, workspace_id, occurred_at, type, subject_type,
                                                    subject_id, details)
                VALUES (?, ?, 'ws', now(), 'workspace.created', 'workspace', 'ws', '{}'::jsonb)
                """, position, "event-" + position);
    }
}
