package dev.svcaccounts.command.credential;

import dev.svcaccounts.events.TokenSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;

/**
 * The platform operator's credential. {@code OPERATOR_TOKEN} set: its hash replaces the stored one. Unset and
 * none stored yet: one is generated and printed once on standard output (never through the logger), like a
 * first-start admin password. Both sides authenticate the operator against the stored hash.
 */
@Component
class OperatorCredential implements ApplicationRunner {

    static final int MIN_LENGTH = 32;
    private static final Logger log = LoggerFactory.getLogger(OperatorCredential.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String configuredToken;

    OperatorCredential(JdbcTemplate jdbc, Clock clock, @Value("${svcaccounts.operator-token:}") String configuredToken) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.configuredToken = configuredToken == null ? "" : configuredToken.strip();
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        if (!configuredToken.isEmpty()) {
            if (configuredToken.length() < MIN_LENGTH || configuredToken.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalStateException("OPERATOR_TOKEN must be at least " + MIN_LENGTH
                        + " characters without spaces (for example the output of 'openssl rand -hex 32').");
            }
            store(TokenSecret.hash(configuredToken));
            log.info("Operator credential taken from OPERATOR_TOKEN");
            return;
        }
        String generated = TokenSecret.generate(TokenSecret.OPERATOR_PREFIX);
        // only if none is stored yet: of several command nodes starting at once, exactly one prints its own
        int stored = jdbc.update("""
                INSERT INTO command_side.operator_credential (id, secret_hash, set_at) VALUES (1, ?, ?)
                ON CONFLICT (id) DO NOTHING
                """, TokenSecret.hash(generated), Timestamp.from(clock.instant()));
        if (stored == 0) {
            log.info("Operator credential already set; set OPERATOR_TOKEN to replace it");
            return;
        }
        System.out.println("""

                ==================================================================
                 Operator credential (shown once; only its hash is stored):
                   %s
                ==================================================================
                """.formatted(generated));
    }

    private void store(String hash) {
        jdbc.update("""
                INSERT INTO command_side.operator_credential (id, secret_hash, set_at) VALUES (1, ?, ?)
                ON CONFLICT (id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, set_at = EXCLUDED.set_at
                """, hash, Timestamp.from(clock.instant()));
    }
}
