package dev.svcaccounts.credentials;

import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.TokenRevocationCause;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class FormerTokensTest {

    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    private static final Instant EARLIER = NOW.minusSeconds(3600);
    private static final Instant EARLIEST = NOW.minusSeconds(7200);

    @Test
    void aRevokedToken_isRefusedByItsRevocationsCause() {
        assertThat(rule(EARLIER, TokenRevocationCause.REVOKED, null, true)).contains("token-revoked");
        assertThat(rule(EARLIER, TokenRevocationCause.ACCOUNT_DEACTIVATED, null, true))
                .as("reactivated since: the old token stays dead for the deactivation").contains("account-deactivated");
        assertThat(rule(EARLIER, TokenRevocationCause.ACCOUNT_DELETED, null, false)).contains("account-deleted");
        assertThat(rule(EARLIER, TokenRevocationCause.MEMBER_REMOVED, null, false)).contains("member-removed");
    }

    @Test
    void whateverEndedTheTokenFirst_isTheRule() {
        assertThat(rule(EARLIER, TokenRevocationCause.ACCOUNT_DEACTIVATED, EARLIEST, false))
                .as("expired, then its account deactivated").contains("token-expired");
        assertThat(rule(EARLIEST, TokenRevocationCause.REVOKED, EARLIER, true))
                .as("revoked, then its expiry passed").contains("token-revoked");
        assertThat(rule(EARLIER, TokenRevocationCause.REVOKED, NOW.plusSeconds(60), true)).contains("token-revoked");
    }

    @Test
    void anExpiredToken_isRefusedFromItsExpiryOn() {
        assertThat(rule(null, null, NOW, true)).contains("token-expired");
        assertThat(rule(null, null, NOW.plusMillis(1), true)).as("still working").isEmpty();
    }

    @Test
    void aWorkingToken_isNotRefused() {
        assertThat(rule(null, null, null, true)).isEmpty();
    }

    private static Optional<String> rule(Instant revokedAt, TokenRevocationCause cause, Instant expiresAt,
                                         boolean ownerActive) {
        return FormerTokens.whyRefused(NOW, revokedAt, cause, expiresAt, null, ownerActive,
                PrincipalType.SERVICE_ACCOUNT)
                .map(FormerTokens.Why::rule);
    }
}
