package dev.svcaccounts.command.token;

import dev.svcaccounts.command.workspace.History;
import dev.svcaccounts.command.workspace.Workspace;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException.Kind;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.svcaccounts.command.workspace.History.*;

/**
 * One test per rule on issuing and revoking tokens ({@link TokenRules}): who may, how many may work at once, and
 * which token a command may name. Whether the token a command was sent with still works: {@link ActorTokenRulesTest}.
 */
class TokenRulesTest {

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = History.fixture();
    }

    private static List<Object> withBobsToken() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(issued(MEMBER, token("bob-1")));
        return events;
    }

    // ---- service-account tokens

    @Test
    void serviceAccount_cannotManageServiceAccountsOrTokens() {
        fixture.given(workspaceWithAccount())
                .when(new IssueTokenCommand(WS, SA_REF, token("t2"), SA_REF))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "workspace-admin-required"));
    }

    @Test
    void sixthActiveToken_isRejected() {
        List<Object> events = workspaceWithAccount();
        for (int i = 2; i <= 5; i++) {
            events.add(issued(SA_REF, token("t" + i)));
        }
        fixture.given(events)
                .when(new IssueTokenCommand(WS, SA_REF, token("t6"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "token-limit-reached"));
    }

    @Test
    void revokedAndExpiredTokens_doNotCountTowardsTheTokenLimit() {
        List<Object> events = workspaceWithAccount();
        events.add(issued(SA_REF, token("t2")));
        events.add(issued(SA_REF, token("t3")));
        events.add(issued(SA_REF, token("t4", NOW.minus(Duration.ofMinutes(1)))));
        events.add(issued(SA_REF, token("t5")));
        events.add(new TokenRevokedEvent(WS, "t5", SA_REF, TokenRevocationCause.REVOKED));
        fixture.given(events)
                .when(new IssueTokenCommand(WS, SA_REF, token("t6", NOW.plus(Duration.ofDays(30))), ADMIN))
                .expectEvents(issued(SA_REF, token("t6", NOW.plus(Duration.ofDays(30)))));
    }

    @Test
    void tokenExpiringInThePast_isRejected() {
        fixture.given(workspaceWithAccount())
                .when(new IssueTokenCommand(WS, SA_REF, token("t2", NOW), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.INVALID, "expiry-in-the-past"));
    }

    @Test
    void deactivatedAccount_getsNoNewToken() {
        List<Object> events = workspaceWithAccount();
        events.add(new ServiceAccountDeactivatedEvent(WS, SA, null));
        fixture.given(events)
                .when(new IssueTokenCommand(WS, SA_REF, token("t2"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "service-account-deactivated"));
    }

    @Test
    void revokingAToken_recordsWhy() {
        fixture.given(workspaceWithAccount())
                .when(new RevokeTokenCommand(WS, SA_REF, "t1", ADMIN))
                .expectEvents(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.REVOKED));
    }

    @Test
    void revokingAnotherAccountsToken_isNotFound() {
        List<Object> events = workspaceWithAccount();
        events.add(new ServiceAccountCreatedEvent(WS, "sa-2", "other", null));
        fixture.given(events)
                .when(new RevokeTokenCommand(WS, PrincipalRef.serviceAccount("sa-2"), "t1", ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "token-not-found"));
    }

    @Test
    void revokingARevokedToken_isRejected() {
        List<Object> events = workspaceWithAccount();
        events.add(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.REVOKED));
        fixture.given(events)
                .when(new RevokeTokenCommand(WS, SA_REF, "t1", ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "token-already-revoked"));
    }

    // ---- users' tokens

    @Test
    void aUser_issuesAndRevokesItsOwnTokens() {
        fixture.given(withBobsToken())
                .when(new IssueTokenCommand(WS, MEMBER, token("bob-2"), MEMBER))
                .expectEvents(issued(MEMBER, token("bob-2")));
        fixture.given(withBobsToken())
                .when(new RevokeTokenCommand(WS, MEMBER, "bob-1", MEMBER))
                .expectEvents(new TokenRevokedEvent(WS, "bob-1", MEMBER, TokenRevocationCause.REVOKED));
    }

    @Test
    void anAdmin_managesAUsersTokens() {
        fixture.given(withBobsToken())
                .when(new RevokeTokenCommand(WS, MEMBER, "bob-1", ADMIN))
                .expectEvents(new TokenRevokedEvent(WS, "bob-1", MEMBER, TokenRevocationCause.REVOKED));
    }

    @Test
    void aServiceAccount_isNeverTakenForAnAdmin_evenIfAnAdminsUsernameEqualsItsId() {
        List<Object> events = withBobsToken();
        events.add(accountCreated("same-id"));
        // a history from before a username equal to an account's id was refused
        events.add(new UserAddedEvent(WS, "same-id", WorkspaceRole.ADMIN));
        fixture.given(events)
                .when(new IssueTokenCommand(WS, MEMBER, token("x"), PrincipalRef.serviceAccount("same-id")))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-owner-or-admin-required"));
    }

    @Test
    void anotherMemberOrAServiceAccount_cannotManageAUsersTokens() {
        List<Object> events = withBobsToken();
        events.add(new UserAddedEvent(WS, "carol", WorkspaceRole.MEMBER));
        events.add(accountCreated("sa-1"));
        fixture.given(events)
                .when(new IssueTokenCommand(WS, MEMBER, token("x"), PrincipalRef.user("carol")))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-owner-or-admin-required"));
        fixture.given(events)
                .when(new RevokeTokenCommand(WS, MEMBER, "bob-1", PrincipalRef.serviceAccount("sa-1")))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-owner-or-admin-required"));
    }

    @Test
    void aUserWhoIsNotAMember_getsNoToken_evenFromAnAdmin() {
        fixture.given(withBobsToken())
                .when(new IssueTokenCommand(WS, PrincipalRef.user("carol"), token("c"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "member-not-found"));
    }
}
