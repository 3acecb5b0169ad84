package dev.svcaccounts.command.token;

import dev.svcaccounts.command.workspace.History;
import dev.svcaccounts.command.workspace.Workspace;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.TokenExpiryCause;
import dev.svcaccounts.events.TokenExpiryShortenedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenPolicy;
import dev.svcaccounts.events.TokenPolicySetEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException.Kind;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.svcaccounts.command.workspace.History.*;

/** One test per rule of rotation with overlap ({@link RotationRules}). */
class RotationRulesTest {

    private static final Instant TEN_DAYS_AGO = NOW.minus(Duration.ofDays(10));
    // a HashMap: TokenScope checks for null roles with containsValue(null), which Map.of answers with an NPE
    private static final TokenScope SCOPE = new TokenScope(new HashMap<>(Map.of("churn", ProjectRole.VIEWER)));
    private static final NewToken SUCCESSOR = token("t2");

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = History.fixture();
    }

    /** The account's token "old", issued ten days ago for 30 days, with a description and a scope. */
    private static TokenIssuedEvent oldToken(Instant expiresAt) {
        return new TokenIssuedEvent(WS, "old", SA_REF, "hash-old", "svcacct_...old", "nightly training", expiresAt,
                SCOPE, null);
    }

    private static RotateTokenCommand rotate(String tokenId, long overlapSeconds) {
        return new RotateTokenCommand(WS, SA_REF, tokenId, SUCCESSOR, overlapSeconds, ADMIN);
    }

    private static TokenIssuedEvent successor(Instant expiresAt) {
        return new TokenIssuedEvent(WS, "t2", SA_REF, "hash-t2", "svcacct_...t2", "nightly training", expiresAt,
                SCOPE, "old");
    }

    @Test
    void rotation_issuesASuccessorWithTheSameDescriptionScopeAndLifetime_andEndsTheOldOneAfterTheOverlap() {
        Instant oldExpiry = TEN_DAYS_AGO.plus(Duration.ofDays(30));
        fixture.givenCurrentTime(TEN_DAYS_AGO)
                .andGiven(workspaceWithAccount())
                .andGiven(oldToken(oldExpiry))
                .andGivenCurrentTime(NOW)
                .when(rotate("old", 3600))
                .expectEvents(successor(NOW.plus(Duration.ofDays(30))),
                        new TokenExpiryShortenedEvent(WS, "old", SA_REF, NOW.plusSeconds(3600), oldExpiry,
                                TokenExpiryCause.ROTATED))
                .expectResultMessagePayload(new Rotation("t2", "nightly training", SCOPE,
                        NOW.plus(Duration.ofDays(30)), "old", NOW.plusSeconds(3600)));
    }

    @Test
    void theCredentialPolicy_shortensTheInheritedLifetime() {
        TokenPolicy sevenDays = new TokenPolicy(7, false, null, true);
        fixture.given(workspaceWithAccount())
                .andGiven(oldToken(null))
                .andGiven(new TokenPolicySetEvent(WS, sevenDays, TokenPolicy.DEFAULT, false, null))
                .when(rotate("old", 60))
                .expectEvents(successor(NOW.plus(Duration.ofDays(7))), new TokenExpiryShortenedEvent(WS, "old",
                        SA_REF, NOW.plusSeconds(60), null, TokenExpiryCause.ROTATED));
    }

    @Test
    void aPolicyAllowingServiceAccountsNoToken_refusesTheirRotation() {
        fixture.given(workspaceWithAccount())
                .andGiven(oldToken(null))
                .andGiven(new TokenPolicySetEvent(WS, new TokenPolicy(null, false, null, false), TokenPolicy.DEFAULT,
                        false, null))
                .when(rotate("old", 60))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "policy-service-account-tokens"));
    }

    @Test
    void aTokenThatNeverExpires_isSucceededByOneThatNeverExpires() {
        fixture.given(workspaceWithAccount())
                .andGiven(oldToken(null))
                .when(rotate("old", 60))
                .expectEvents(successor(null), new TokenExpiryShortenedEvent(WS, "old", SA_REF, NOW.plusSeconds(60),
                        null, TokenExpiryCause.ROTATED));
    }

    @Test
    void anOldTokenExpiringWithinTheOverlap_keepsItsEarlierExpiry() {
        Instant soon = NOW.plus(Duration.ofMinutes(10));
        fixture.given(workspaceWithAccount())
                .andGiven(oldToken(soon))
                .when(rotate("old", 3600))
                .expectEvents(successor(soon))
                .expectResultMessagePayload(new Rotation("t2", "nightly training", SCOPE, soon, "old", soon));
    }

    @Test
    void noOverlap_endsTheOldTokenNow() {
        fixture.given(workspaceWithAccount())
                .andGiven(oldToken(null))
                .when(rotate("old", 0))
                .expectEvents(successor(null),
                        new TokenExpiryShortenedEvent(WS, "old", SA_REF, NOW, null, TokenExpiryCause.ROTATED));
    }

    @Test
    void theOverlap_isADayAtMost_andNeverNegative() {
        fixture.given(workspaceWithAccount()).andGiven(oldToken(null))
                .when(rotate("old", RotationRules.MAX_OVERLAP_SECONDS + 1))
                .expectNoEvents()
                .expectException(refused(Kind.INVALID, "overlap-out-of-range"));
        fixture.given(workspaceWithAccount()).andGiven(oldToken(null))
                .when(rotate("old", -1))
                .expectNoEvents()
                .expectException(refused(Kind.INVALID, "overlap-out-of-range"));
        fixture.given(workspaceWithAccount()).andGiven(oldToken(null))
                .when(rotate("old", RotationRules.MAX_OVERLAP_SECONDS))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void anUnknownToken_orAnotherOwnersToken_isNotFound() {
        fixture.given(workspaceWithAccount())
                .when(rotate("nope", 60))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "token-not-found"));
        fixture.given(workspaceWithAccount())
                .when(rotate("admin-token", 60))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "token-not-found"));
    }

    @Test
    void aRevokedToken_cannotBeRotated() {
        fixture.given(workspaceWithAccount())
                .andGiven(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.REVOKED))
                .when(rotate("t1", 60))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "token-already-revoked"));
    }

    @Test
    void anExpiredToken_cannotBeRotated() {
        fixture.given(workspaceWithAccount())
                .andGiven(oldToken(NOW))
                .when(rotate("old", 60))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "token-already-expired"));
    }

    @Test
    void aTokenIsRotatedOnce_evenDuringItsOverlap() {
        fixture.given(workspaceWithAccount())
                .andGiven(oldToken(null), successor(null), new TokenExpiryShortenedEvent(WS, "old", SA_REF,
                        NOW.plusSeconds(3600), null, TokenExpiryCause.ROTATED))
                .when(new RotateTokenCommand(WS, SA_REF, "old", token("t3"), 60, ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "token-already-rotated"));
    }

    @Test
    void aRotation_doesNotCountAgainstTheActiveTokenLimit() {
        List<Object> events = workspaceWithAccount();
        for (int i = 2; i <= 4; i++) {
            events.add(issued(SA_REF, token("t" + i)));
        }
        events.add(oldToken(null)); // the fifth
        fixture.given(events)
                .when(new RotateTokenCommand(WS, SA_REF, "old", token("t6"), 60, ADMIN))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void whoMayRotate_isWhoMayIssue() {
        fixture.given(workspaceWithAccount()).andGiven(oldToken(null))
                .when(new RotateTokenCommand(WS, SA_REF, "old", SUCCESSOR, 60, MEMBER))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "workspace-admin-required"));
        fixture.given(workspaceWithAccount()).andGiven(oldToken(null))
                .when(new RotateTokenCommand(WS, SA_REF, "old", SUCCESSOR, 60, SA_REF))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "workspace-admin-required"));

        List<Object> withBobsToken = workspaceWithAdminAndMember();
        withBobsToken.add(new UserAddedEvent(WS, "carol", WorkspaceRole.MEMBER));
        withBobsToken.add(issued(MEMBER, token("bob-1")));
        fixture.given(withBobsToken)
                .when(new RotateTokenCommand(WS, MEMBER, "bob-1", token("bob-2"), 60, PrincipalRef.user("carol")))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-owner-or-admin-required"));
        fixture.given(withBobsToken)
                .when(new RotateTokenCommand(WS, MEMBER, "bob-1", token("bob-2"), 60, MEMBER))
                .expectEvents(new TokenIssuedEvent(WS, "bob-2", MEMBER, "hash-bob-2", "svcacct_...bob-2", null, null,
                                null, "bob-1"),
                        new TokenExpiryShortenedEvent(WS, "bob-1", MEMBER, NOW.plusSeconds(60), null,
                                TokenExpiryCause.ROTATED));
    }

    @Test
    void afterTheOverlap_theOldTokenIsRefusedAsRotated() {
        fixture.givenCurrentTime(NOW.minus(Duration.ofHours(2)))
                .andGiven(workspaceWithAccount())
                .andGiven(issued(ADMIN, token("old")), new TokenIssuedEvent(WS, "new", ADMIN, "hash-new", "h", null,
                        null, null, "old"), new TokenExpiryShortenedEvent(WS, "old", ADMIN,
                        NOW.minus(Duration.ofHours(1)), null, TokenExpiryCause.ROTATED))
                .andGivenCurrentTime(NOW)
                .when(new RevokeTokenCommand(WS, SA_REF, "t1", ADMIN), Map.of(AuditMetadata.ACTOR_TYPE, "USER",
                        AuditMetadata.ACTOR_ID, "alice", AuditMetadata.ACTOR_TOKEN_ID, "old"))
                .expectNoEvents()
                .expectException(refused(Kind.UNAUTHENTICATED, "token-rotated"));
    }
}
