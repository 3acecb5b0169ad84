package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.infra.database.LongStatements;
import dev.svcaccounts.query.ReadModelDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A replay empties the audit trail first, even while someone is reading it. */
class AuditProjectionResetIT {

    private static final Instant T = Instant.parse("2026-11-29T10:15:30Z");

    private final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    private final AuditProjection projection = new AuditProjection(jdbc, new ObjectMapper(),
            new LongStatements(jdbc.getDataSource()));

    @BeforeEach
    void threeEntries() {
        ReadModelDatabase.emptyEventStore();
        ReadModelDatabase.clear();
        List<AuditEntryWriter.PendingEntry> entries = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            jdbc.update("INSERT INTO command_side.domain_event_entry (global_index, time_stamp, event_identifier) "
                    + "VALUES (?, ?, ?)", i, T.toString(), "e-" + i);
            entries.add(new AuditEntryWriter.PendingEntry("e-" + i, "acme", T, "user.added", "user", "u-" + i, null,
                    null, null, null, null, null, null, null, null, null, null, "{}"));
        }
        new AuditEntryWriter(jdbc).write(entries);
    }

    @Test
    void reset_emptiesTheTrail() {
        projection.reset();

        assertThat(count()).isZero();
    }

    @Test
    // without the lock timeout, TRUNCATE would wait for the reader, which waits for the reset
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void reset_whileAReaderHoldsTheTable_stillEmptiesIt_withinSeconds() throws Exception {
        try (Connection reader = jdbc.getDataSource().getConnection()) {
            reader.setAutoCommit(false);
            try (Statement read = reader.createStatement(); ResultSet rows = read.executeQuery(
                    "SELECT position FROM query_side.audit_entry")) {
                assertThat(rows.next()).isTrue();
                long started = System.nanoTime();

                projection.reset();

                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
                assertThat(count()).as("deleted instead of truncated").isZero();
            } finally {
                reader.rollback();
            }
        }
    }

    private long count() {
        return jdbc.queryForObject("SELECT count(*) FROM query_side.audit_entry", Long.class);
    }
}
