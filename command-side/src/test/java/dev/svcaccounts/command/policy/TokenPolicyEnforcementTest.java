package dev.svcaccounts.command.policy;

import dev.svcaccounts.command.workspace.History;
import dev.svcaccounts.command.workspace.Workspace;
import dev.svcaccounts.events.TokenExpiryCause;
import dev.svcaccounts.events.TokenExpiryShortenedEvent;
import dev.svcaccounts.events.TokenPolicy;
import dev.svcaccounts.events.TokenPolicySetEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.axonframework.test.aggregate.TestExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.svcaccounts.command.workspace.History.*;

/**
 * One test per rule on existing tokens under a credential policy: what {@code enforce} does (revokes tokens older than
 * the maximum lifetime, shortens younger ones, leaves tokens that only lack an expiry), and idle revocation, decided
 * again by the aggregate for each token the sweeper names (still working, policy still set, idle long enough), so
 * that a token is revoked once whoever asks twice.
 */
class TokenPolicyEnforcementTest {

    private static final TokenPolicy MAX_90 = new TokenPolicy(90, false, null, true);
    private static final TokenPolicy IDLE_30 = new TokenPolicy(null, false, 30, true);
    private static final Instant LONG_AGO = NOW.minus(Duration.ofDays(100));
    private static final Instant RECENTLY = NOW.minus(Duration.ofDays(10));

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = History.fixture();
    }

    /** admin-token and t1 issued 100 days ago; "young" (no expiry) and "bounded" (expires in 5 days) 10 days ago. */
    private TestExecutor<Workspace> tokensOfDifferentAges() {
        return fixture.givenCurrentTime(LONG_AGO)
                .andGiven(workspaceWithAccount())
                .andGivenCurrentTime(RECENTLY)
                .andGiven(issued(SA_REF, token("young")),
                        issued(MEMBER, token("bounded", NOW.plus(Duration.ofDays(5)))))
                .andGivenCurrentTime(NOW);
    }

    @Test
    void enforcedMaximumLifetime_revokesOlderTokens_andShortensYoungerOnes() {
        tokensOfDifferentAges()
                .when(new SetTokenPolicyCommand(WS, MAX_90, true, ADMIN))
                .expectEvents(new TokenPolicySetEvent(WS, MAX_90, TokenPolicy.DEFAULT, true, null),
                        new TokenRevokedEvent(WS, "admin-token", ADMIN, TokenRevocationCause.POLICY_MAX_LIFETIME),
                        new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.POLICY_MAX_LIFETIME),
                        new TokenExpiryShortenedEvent(WS, "young", SA_REF, RECENTLY.plus(Duration.ofDays(90)), null,
                                TokenExpiryCause.POLICY_MAX_LIFETIME))
                .expectResultMessagePayload(new PolicyDecision(MAX_90, true, 2, 1));
    }

    @Test
    void maximumLifetimeWithoutEnforce_leavesExistingTokens() {
        tokensOfDifferentAges()
                .when(new SetTokenPolicyCommand(WS, MAX_90, false, ADMIN))
                .expectEvents(new TokenPolicySetEvent(WS, MAX_90, TokenPolicy.DEFAULT, false, null));
    }

    @Test
    void enforcedRequireExpiryAlone_leavesTokensWithoutExpiry() {
        TokenPolicy requireExpiry = new TokenPolicy(null, true, null, true);
        tokensOfDifferentAges()
                .when(new SetTokenPolicyCommand(WS, requireExpiry, true, ADMIN))
                .expectEvents(new TokenPolicySetEvent(WS, requireExpiry, TokenPolicy.DEFAULT, true, null));
    }

    // ---- idle revocation

    private static RevokeIdleTokensCommand idle(String tokenId, Instant lastUsedAt) {
        return new RevokeIdleTokensCommand(WS, List.of(new RevokeIdleTokensCommand.Candidate(tokenId, lastUsedAt)));
    }

    @Test
    void tokenUnusedLongerThanTheMaximum_isRevokedAsIdle() {
        tokensOfDifferentAges()
                .andGiven(new TokenPolicySetEvent(WS, IDLE_30, TokenPolicy.DEFAULT, true, null))
                .when(idle("t1", NOW.minus(Duration.ofDays(31))))
                .expectEvents(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.IDLE))
                .expectResultMessagePayload(1);
    }

    @Test
    void neverUsedToken_isIdleFromItsIssue() {
        tokensOfDifferentAges()
                .andGiven(new TokenPolicySetEvent(WS, IDLE_30, TokenPolicy.DEFAULT, true, null))
                .when(new RevokeIdleTokensCommand(WS, List.of(new RevokeIdleTokensCommand.Candidate("t1", null),
                        new RevokeIdleTokensCommand.Candidate("young", null))))
                .expectEvents(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.IDLE));
    }

    @Test
    void tokenUsedWithinTheMaximum_isKept() {
        tokensOfDifferentAges()
                .andGiven(new TokenPolicySetEvent(WS, IDLE_30, TokenPolicy.DEFAULT, true, null))
                .when(idle("t1", NOW.minus(Duration.ofDays(29))))
                .expectNoEvents()
                .expectResultMessagePayload(0);
    }

    @Test
    void withoutEnforce_existingTokensGetTheWholeIdlePeriodFromThePolicy() {
        tokensOfDifferentAges()
                .andGiven(new TokenPolicySetEvent(WS, IDLE_30, TokenPolicy.DEFAULT, false,
                        NOW.minus(Duration.ofDays(20))))
                .when(idle("t1", null))
                .expectNoEvents();
    }

    @Test
    void tokenAlreadyRevoked_isNotRevokedAgain_soASecondSweepDoesNothing() {
        tokensOfDifferentAges()
                .andGiven(new TokenPolicySetEvent(WS, IDLE_30, TokenPolicy.DEFAULT, true, null))
                .andGivenCommands(idle("t1", null))
                .when(new RevokeIdleTokensCommand(WS, List.of(new RevokeIdleTokensCommand.Candidate("t1", null),
                        new RevokeIdleTokensCommand.Candidate("t1", null))))
                .expectNoEvents()
                .expectResultMessagePayload(0);
    }

    @Test
    void duplicateCandidates_revokeOnce() {
        tokensOfDifferentAges()
                .andGiven(new TokenPolicySetEvent(WS, IDLE_30, TokenPolicy.DEFAULT, true, null))
                .when(new RevokeIdleTokensCommand(WS, List.of(new RevokeIdleTokensCommand.Candidate("t1", null),
                        new RevokeIdleTokensCommand.Candidate("t1", null))))
                .expectEvents(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.IDLE));
    }

    @Test
    void idleMaximumLiftedMeanwhile_revokesNothing() {
        tokensOfDifferentAges()
                .andGiven(new TokenPolicySetEvent(WS, IDLE_30, TokenPolicy.DEFAULT, true, null),
                        new TokenPolicySetEvent(WS, TokenPolicy.DEFAULT, IDLE_30, false, null))
                .when(idle("t1", null))
                .expectNoEvents();
    }

    @Test
    void expiredToken_isNotRevokedAsIdle() {
        fixture.givenCurrentTime(LONG_AGO)
                .andGiven(workspaceWithAccount())
                .andGiven(issued(SA_REF, token("short", LONG_AGO.plus(Duration.ofDays(1)))))
                .andGivenCurrentTime(NOW)
                .andGiven(new TokenPolicySetEvent(WS, IDLE_30, TokenPolicy.DEFAULT, true, null))
                .when(idle("short", null))
                .expectNoEvents();
    }
}
