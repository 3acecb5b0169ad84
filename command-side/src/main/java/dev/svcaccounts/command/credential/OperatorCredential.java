package dev.svcaccounts.command.credential;

import dev.svcaccounts.credentials.CredentialStore;
import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.infra.security.OperatorSecretHash;
import dev.svcaccounts.infra.security.OperatorVerification;
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
import java.util.List;

/**
 * The platform operator's credential. {@code OPERATOR_TOKEN} set: it must be long and not guessable (refused at
 * start otherwise, see {@link OperatorTokenStrength}), and it replaces the stored one. Unset and none stored yet: one
 * is generated and printed once on standard output (never through the logger), like a first-start admin password.
 * Only a salted, slow hash is stored ({@link OperatorSecretHash}); both sides authenticate the operator against it.
 */
@Component
class OperatorCredential implements ApplicationRunner {

    static final int MIN_LENGTH = CredentialStore.MIN_OPERATOR_LENGTH;
    private static final Logger log = LoggerFactory.getLogger(OperatorCredential.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final OperatorVerification verification;
    private final String configuredToken;

    OperatorCredential(JdbcTemplate jdbc, Clock clock, OperatorVerification verification,
                       @Value("${svcaccounts.operator-token:}") String configuredToken) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.verification = verification;
        this.configuredToken = configuredToken == null ? "" : configuredToken.strip();
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        if (!configuredToken.isEmpty()) {
            requireStrong(configuredToken);
            String stored = stored();
            if (stored != null && OperatorSecretHash.isCurrent(stored)
                    && OperatorSecretHash.matches(configuredToken, stored)) {
                log.info("Operator credential taken from OPERATOR_TOKEN (unchanged)");
            } else {
                stored = OperatorSecretHash.hash(configuredToken);
                store(stored);
                log.info("Operator credential taken from OPERATOR_TOKEN");
            }
            verification.remember(configuredToken, stored);
            return;
        }
        String generated = TokenSecret.generate(TokenSecret.OPERATOR_PREFIX);
        String hash = OperatorSecretHash.hash(generated);
        // only if none is stored yet: of several command nodes starting at once, exactly one prints its own
        int stored = jdbc.update("""
                INSERT INTO command_side.operator_credential (id, secret_hash, set_at) VALUES (1, ?, ?)
                ON CONFLICT (id) DO NOTHING
                """, hash, Timestamp.from(clock.instant()));
        if (stored == 0) {
            log.info(OperatorSecretHash.isLegacy(stored()) ? "Operator credential already set, stored as an unsalted "
                    + "SHA-256 by an earlier version: replaced by a salted hash at its first use; set OPERATOR_TOKEN "
                    + "to replace it" : "Operator credential already set; set OPERATOR_TOKEN to replace it");
            return;
        }
        verification.remember(generated, hash);
        System.out.println("""

                ==================================================================
                 Operator credential (shown once; only a salted hash is stored):
                   %s
                ==================================================================
                """.formatted(generated));
    }

    static void requireStrong(String token) {
        if (token.length() < MIN_LENGTH || token.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalStateException("OPERATOR_TOKEN must be at least " + MIN_LENGTH
                    + " characters without spaces (for example the output of 'openssl rand -hex 32').");
        }
        double bits = OperatorTokenStrength.estimatedBits(token);
        if (bits < OperatorTokenStrength.MIN_BITS) {
            throw new IllegalStateException("OPERATOR_TOKEN is too easy to guess: about " + Math.round(bits)
                    + " bits of randomness by a rough estimate, at least " + OperatorTokenStrength.MIN_BITS
                    + " are required (runs, sequences and repeated parts count for nothing). Use random characters, "
                    + "for example the output of 'openssl rand -hex 32'.");
        }
    }

    private String stored() {
        List<String> stored =
                jdbc.queryForList("SELECT secret_hash FROM command_side.operator_credential", String.class);
        return stored.isEmpty() ? null : stored.get(0).strip();
    }

    private void store(String hash) {
        jdbc.update("""
                INSERT INTO command_side.operator_credential (id, secret_hash, set_at) VALUES (1, ?, ?)
                ON CONFLICT (id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, set_at = EXCLUDED.set_at
                """, hash, Timestamp.from(clock.instant()));
    }
}
