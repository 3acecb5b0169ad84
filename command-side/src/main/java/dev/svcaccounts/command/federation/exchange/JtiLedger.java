package dev.svcaccounts.command.federation.exchange;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JWT is exchanged once, across all command nodes: its {@code (iss, jti)} is inserted into
 * {@code command_side.federation_jti} in a statement of its own (committed at once), and the database's primary key
 * lets exactly one insert win, whichever node makes it. A row is kept until the JWT could no longer be accepted (its
 * {@code exp} plus the allowed clock skew); expired rows are deleted at most once a minute per node, by whichever
 * exchange comes then.
 */
@Component
class JtiLedger {

    /** As the verifier allows a JWT past its {@code exp}. */
    static final Duration SKEW = Duration.ofSeconds(60);
    private static final long SWEEP_EVERY_MILLIS = Duration.ofMinutes(1).toMillis();

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final AtomicLong nextSweep = new AtomicLong();

    JtiLedger(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Whether this is the first time the JWT is presented (true exactly once, cluster-wide). */
    boolean consume(String issuer, String jwtId, Instant jwtExpiresAt) {
        sweepNowAndThen();
        return jdbc.update("""
                INSERT INTO command_side.federation_jti (issuer, jti, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (issuer, jti) DO NOTHING
                """, issuer, jwtId, Timestamp.from(jwtExpiresAt.plus(SKEW))) == 1;
    }

    private void sweepNowAndThen() {
        long now = clock.millis();
        long due = nextSweep.get();
        if (now >= due && nextSweep.compareAndSet(due, now + SWEEP_EVERY_MILLIS)) {
            jdbc.update("DELETE FROM command_side.federation_jti WHERE expires_at < ?",
                    Timestamp.from(Instant.ofEpochMilli(now)));
        }
    }
}
