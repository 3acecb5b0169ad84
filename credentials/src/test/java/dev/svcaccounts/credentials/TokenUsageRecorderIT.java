package dev.svcaccounts.credentials;

import dev.svcaccounts.credentials.testing.CommandSideDatabase;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.WorkspaceRole;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TokenUsageRecorder} against the command side's migrations on a real PostgreSQL: uses are written only
 * by a flush, the newest per token, never an older one over a newer one, at most once a minute per token, and
 * none is lost at shutdown or while the database refuses the write.
 */
class TokenUsageRecorderIT {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;

    private final MovableClock clock = new MovableClock(T0);
    private final TokenUsageRecorder recorder = new TokenUsageRecorder(jdbc, clock, Duration.ofSeconds(10));

    @BeforeAll
    static void database() throws IOException {
        postgres = CommandSideDatabase.start();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void empty() {
        jdbc.update("DELETE FROM command_side.token_usage");
    }

    @Test
    void usesAreWrittenByTheFlush_notWhenRecorded_andTheOperatorIsNotTracked() {
        recorder.record(serviceAccountToken("t-1"), "10.0.0.1");
        recorder.record(userToken("t-2"), "10.0.0.2");
        recorder.record(new AuthenticatedPrincipal(PrincipalType.OPERATOR, "operator", "operator", null, null, null),
                "10.0.0.3");
        assertThat(rows()).as("before the flush").isEmpty();

        assertThat(recorder.flush()).isEqualTo(2);

        assertThat(rows()).containsExactly(
                Map.of("token_id", "t-1", "workspace_id", "acme", "last_used_at", T0, "last_used_ip", "10.0.0.1"),
                Map.of("token_id", "t-2", "workspace_id", "acme", "last_used_at", T0, "last_used_ip", "10.0.0.2"));
        assertThat(recorder.flush()).as("nothing new").isZero();
    }

    @Test
    void ofSeveralUsesBeforeAFlush_theNewestIsWritten() {
        recorder.record(serviceAccountToken("t-1"), "10.0.0.1");
        clock.advance(Duration.ofSeconds(5));
        recorder.record(serviceAccountToken("t-1"), "10.0.0.9");

        recorder.flush();

        assertThat(lastUse("t-1")).isEqualTo(Map.of("last_used_at", T0.plusSeconds(5), "last_used_ip", "10.0.0.9"));
    }

    @Test
    void anOlderUse_neverReplacesANewerOne_writtenByAnotherNode() {
        TokenUsageRecorder otherNode = new TokenUsageRecorder(jdbc, Clock.fixed(T0.plusSeconds(300), ZoneOffset.UTC),
                Duration.ofSeconds(10));
        otherNode.record(serviceAccountToken("t-1"), "10.0.0.2");
        otherNode.flush();

        recorder.record(serviceAccountToken("t-1"), "10.0.0.1");
        recorder.flush();
        assertThat(lastUse("t-1")).isEqualTo(Map.of("last_used_at", T0.plusSeconds(300), "last_used_ip", "10.0.0.2"));

        clock.advance(Duration.ofSeconds(400));
        recorder.record(serviceAccountToken("t-1"), "10.0.0.1");
        recorder.flush();
        assertThat(lastUse("t-1")).isEqualTo(Map.of("last_used_at", T0.plusSeconds(400), "last_used_ip", "10.0.0.1"));
    }

    @Test
    void aUseWithinAMinuteOfTheLastWrittenOne_isNotWrittenAgain() {
        recorder.record(serviceAccountToken("t-1"), "10.0.0.1");
        recorder.flush();

        clock.advance(Duration.ofSeconds(59));
        recorder.record(serviceAccountToken("t-1"), "10.0.0.2");
        assertThat(recorder.flush()).isZero();
        assertThat(lastUse("t-1")).isEqualTo(Map.of("last_used_at", T0, "last_used_ip", "10.0.0.1"));

        clock.advance(Duration.ofSeconds(2));
        recorder.record(serviceAccountToken("t-1"), "10.0.0.3");
        assertThat(recorder.flush()).isEqualTo(1);
        assertThat(lastUse("t-1")).isEqualTo(Map.of("last_used_at", T0.plusSeconds(61), "last_used_ip", "10.0.0.3"));
    }

    @Test
    void atShutdown_theUsesNotYetWrittenAreFlushed() {
        recorder.record(serviceAccountToken("t-1"), "10.0.0.1");

        recorder.stop();

        assertThat(lastUse("t-1")).isEqualTo(Map.of("last_used_at", T0, "last_used_ip", "10.0.0.1"));
    }

    @Test
    void usesAFlushCouldNotWrite_areWrittenByTheNextOne() {
        recorder.record(serviceAccountToken("t-1"), "10.0.0.1");
        jdbc.execute("ALTER TABLE command_side.token_usage RENAME TO token_usage_away");
        try {
            assertThat(recorder.flush()).isZero();
        } finally {
            jdbc.execute("ALTER TABLE command_side.token_usage_away RENAME TO token_usage");
        }

        assertThat(recorder.flush()).isEqualTo(1);
        assertThat(lastUse("t-1")).isEqualTo(Map.of("last_used_at", T0, "last_used_ip", "10.0.0.1"));
    }

    private static AuthenticatedPrincipal serviceAccountToken(String tokenId) {
        return new AuthenticatedPrincipal(PrincipalType.SERVICE_ACCOUNT, "sa-1", "ci", "acme", null, tokenId);
    }

    private static AuthenticatedPrincipal userToken(String tokenId) {
        return new AuthenticatedPrincipal(PrincipalType.USER, "bob", "bob", "acme", WorkspaceRole.MEMBER, tokenId);
    }

    private static List<Map<String, Object>> rows() {
        return jdbc.query("SELECT * FROM command_side.token_usage ORDER BY token_id", (rs, i) -> Map.of(
                "token_id", rs.getString("token_id"), "workspace_id", rs.getString("workspace_id"),
                "last_used_at", rs.getTimestamp("last_used_at").toInstant(),
                "last_used_ip", rs.getString("last_used_ip")));
    }

    private static Map<String, Object> lastUse(String tokenId) {
        return jdbc.queryForObject("SELECT * FROM command_side.token_usage WHERE token_id = ?", (rs, i) -> Map.of(
                "last_used_at", rs.getTimestamp("last_used_at").toInstant(),
                "last_used_ip", rs.getString("last_used_ip")),
                tokenId);
    }

    /** A clock the test moves forward. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
