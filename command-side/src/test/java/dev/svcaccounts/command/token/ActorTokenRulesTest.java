package dev.svcaccounts.command.token;

import dev.svcaccounts.command.member.RemoveMemberCommand;
import dev.svcaccounts.command.project.CreateProjectCommand;
import dev.svcaccounts.command.serviceaccount.CreateServiceAccountCommand;
import dev.svcaccounts.command.workspace.Workspace;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
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
import java.util.Map;

import static dev.svcaccounts.command.workspace.History.*;
import static dev.svcaccounts.events.ProjectVisibility.PRIVATE;

/**
 * A command is decided only while the token it was sent with works, as the workspace knows it when it decides
 * ({@link TokenRules#requireWorkingToken}): one test per way a token ends, each refused with 401 and the same rule
 * the authentication records.
 */
class ActorTokenRulesTest {

    private static final PrincipalRef SA = PrincipalRef.serviceAccount("sa-1");

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = fixture();
    }

    private static List<Object> withAccountAndBobsToken() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(issued(MEMBER, token("bob-1")));
        events.add(accountCreated("sa-1"));
        events.add(issued(SA, token("sa-token")));
        return events;
    }

    /** The audit metadata CommandSender puts on a command sent with this principal's token. */
    private static Map<String, Object> sentWith(PrincipalRef actor, String tokenId) {
        return Map.of(AuditMetadata.ACTOR_TYPE, actor.type().name(), AuditMetadata.ACTOR_ID, actor.id(),
                AuditMetadata.ACTOR_TOKEN_ID, tokenId);
    }

    private static CreateProjectCommand createProject(PrincipalRef actor) {
        return new CreateProjectCommand(WS, "models", "Project models", PRIVATE, actor);
    }

    @Test
    void aWorkingToken_isDecidedOn() {
        fixture.given(withAccountAndBobsToken())
                .when(createProject(SA), sentWith(SA, "sa-token"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(projectCreated("models", PRIVATE, SA), assigned("models", SA,
                        dev.svcaccounts.events.ProjectRole.OWNER, null));
    }

    @Test
    void aTokenRevokedBeforeTheWorkspaceDecides_isRefusedAsRevoked() {
        List<Object> events = withAccountAndBobsToken();
        events.add(new TokenRevokedEvent(WS, "sa-token", SA, TokenRevocationCause.REVOKED));
        fixture.given(events)
                .when(createProject(SA), sentWith(SA, "sa-token"))
                .expectNoEvents()
                .expectException(refused(Kind.UNAUTHENTICATED, "token-revoked"));
    }

    @Test
    void aTokenOfAnAccountDeactivatedMeanwhile_isRefusedAsDeactivated() {
        List<Object> events = withAccountAndBobsToken();
        events.add(new ServiceAccountDeactivatedEvent(WS, "sa-1", null));
        events.add(new TokenRevokedEvent(WS, "sa-token", SA, TokenRevocationCause.ACCOUNT_DEACTIVATED));
        fixture.given(events)
                .when(createProject(SA), sentWith(SA, "sa-token"))
                .expectNoEvents()
                .expectException(refused(Kind.UNAUTHENTICATED, "account-deactivated"));
    }

    @Test
    void aTokenOfAnAccountDeletedMeanwhile_isRefusedAsDeleted() {
        List<Object> events = withAccountAndBobsToken();
        events.add(new TokenRevokedEvent(WS, "sa-token", SA, TokenRevocationCause.ACCOUNT_DELETED));
        events.add(new ServiceAccountDeletedEvent(WS, "sa-1", "account-sa-1"));
        fixture.given(events)
                .when(createProject(SA), sentWith(SA, "sa-token"))
                .expectNoEvents()
                .expectException(refused(Kind.UNAUTHENTICATED, "account-deleted"));
    }

    @Test
    void aTokenOfAUserRemovedMeanwhile_isRefusedAsRemoved_evenOnceTheUsernameIsAddedAgain() {
        List<Object> events = withAccountAndBobsToken();
        events.add(new TokenRevokedEvent(WS, "bob-1", MEMBER, TokenRevocationCause.MEMBER_REMOVED));
        events.add(new MemberRemovedEvent(WS, "bob", WorkspaceRole.MEMBER));
        fixture.given(events)
                .when(createProject(MEMBER), sentWith(MEMBER, "bob-1"))
                .expectNoEvents()
                .expectException(refused(Kind.UNAUTHENTICATED, "member-removed"));
        events.add(new UserAddedEvent(WS, "bob", WorkspaceRole.MEMBER));
        events.add(issued(MEMBER, token("bob-2")));
        fixture.given(events)
                .when(createProject(MEMBER), sentWith(MEMBER, "bob-1"))
                .expectNoEvents()
                .expectException(refused(Kind.UNAUTHENTICATED, "member-removed"));
    }

    @Test
    void aTokenExpiredByTheClock_isRefusedAsExpired_fromItsExpiryOn() {
        List<Object> events = withAccountAndBobsToken();
        events.add(issued(SA, token("expiring-now", NOW)));
        events.add(issued(SA, token("expiring-later", NOW.plus(Duration.ofMillis(1)))));
        fixture.given(events)
                .when(createProject(SA), sentWith(SA, "expiring-now"))
                .expectNoEvents()
                .expectException(refused(Kind.UNAUTHENTICATED, "token-expired"));
        fixture.given(events)
                .when(createProject(SA), sentWith(SA, "expiring-later"))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void anAdminsRevokedToken_isRefusedBeforeAnyOtherRule() {
        List<Object> events = withAccountAndBobsToken();
        events.add(new TokenRevokedEvent(WS, "admin-token", ADMIN, TokenRevocationCause.REVOKED));
        fixture.given(events)
                .when(new CreateServiceAccountCommand(WS, "sa-2", "another", null, token("t2"), ADMIN),
                        sentWith(ADMIN, "admin-token"))
                .expectNoEvents()
                .expectException(refused(Kind.UNAUTHENTICATED, "token-revoked"));
        fixture.given(events)
                .when(new RemoveMemberCommand(WS, "nobody", MEMBER), sentWith(MEMBER, "bob-1"))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "workspace-admin-required"));
    }

    @Test
    void aUserRevokingItsOwnTokenWithIt_isTheLastThingTheTokenDoes() {
        List<Object> events = withAccountAndBobsToken();
        fixture.given(events)
                .when(new RevokeTokenCommand(WS, MEMBER, "bob-1", MEMBER), sentWith(MEMBER, "bob-1"))
                .expectEvents(new TokenRevokedEvent(WS, "bob-1", MEMBER, TokenRevocationCause.REVOKED));
        events.add(new TokenRevokedEvent(WS, "bob-1", MEMBER, TokenRevocationCause.REVOKED));
        fixture.given(events)
                .when(new RevokeTokenCommand(WS, MEMBER, "bob-1", MEMBER), sentWith(MEMBER, "bob-1"))
                .expectNoEvents()
                .expectException(refused(Kind.UNAUTHENTICATED, "token-revoked"));
    }

    @Test
    void aTokenTheWorkspaceDidNotIssueToTheActor_isRefused() {
        fixture.given(withAccountAndBobsToken())
                .when(createProject(MEMBER), sentWith(MEMBER, "sa-token"))
                .expectNoEvents()
                .expectException(refused(Kind.UNAUTHENTICATED, "unauthenticated"));
        fixture.given(withAccountAndBobsToken())
                .when(createProject(MEMBER), sentWith(MEMBER, "another-workspaces-token"))
                .expectNoEvents()
                .expectException(refused(Kind.UNAUTHENTICATED, "unauthenticated"));
        fixture.given(withAccountAndBobsToken())
                .when(createProject(MEMBER), Map.of(AuditMetadata.ACTOR_TYPE, "USER", AuditMetadata.ACTOR_ID, "bob"))
                .expectNoEvents()
                .expectException(refused(Kind.UNAUTHENTICATED, "unauthenticated"));
    }

    @Test
    void aTokenThatExpiredBeforeItsRevocation_isRefusedAsExpired() {
        List<Object> events = withAccountAndBobsToken();
        events.add(issued(SA, token("short-lived", NOW.minus(Duration.ofMinutes(5)))));
        // its account deactivated after it expired: revoked now, at NOW
        events.add(new TokenRevokedEvent(WS, "short-lived", SA, TokenRevocationCause.ACCOUNT_DEACTIVATED));
        fixture.given(events)
                .when(createProject(SA), sentWith(SA, "short-lived"))
                .expectNoEvents()
                .expectException(refused(Kind.UNAUTHENTICATED, "token-expired"));
    }
}
