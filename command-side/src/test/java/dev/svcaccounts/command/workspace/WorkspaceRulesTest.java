package dev.svcaccounts.command.workspace;

import dev.svcaccounts.command.serviceaccount.CreateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.DeactivateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.DeleteServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.ReactivateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.ServiceAccountState;
import dev.svcaccounts.command.serviceaccount.ServiceAccountStatus;
import dev.svcaccounts.command.serviceaccount.UpdateServiceAccountCommand;
import dev.svcaccounts.command.token.IssueTokenCommand;
import dev.svcaccounts.command.token.RevokeTokenCommand;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.ServiceAccountReactivatedEvent;
import dev.svcaccounts.events.ServiceAccountUpdatedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.refusals.DomainRuleException;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceCreatedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import java.util.List;

import static dev.svcaccounts.command.workspace.History.*;
import static org.hamcrest.Matchers.containsString;

/** One test per service-account and token rule of the Workspace aggregate, named for the rule and its outcome. */
class WorkspaceRulesTest {

    private static final String SA = "sa-1";
    private static final PrincipalRef SA_REF = PrincipalRef.serviceAccount(SA);

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = History.fixture();
    }

    private List<Object> withAccount() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(new ServiceAccountCreatedEvent(WS, SA, "ci-pipeline", "CI"));
        events.add(issued(SA_REF, token("t1")));
        return events;
    }


    @Test
    void creatingWorkspace_addsItsAdminWithAFirstToken() {
        fixture.givenNoPriorActivity()
                .when(new CreateWorkspaceCommand(WS, "Acme", "alice", token("admin-token")))
                .expectEvents(
                        new WorkspaceCreatedEvent(WS, "Acme"),
                        new UserAddedEvent(WS, "alice", WorkspaceRole.ADMIN),
                        issued(ADMIN, token("admin-token")));
    }

    @Test
    void creatingServiceAccount_issuesItsFirstToken() {
        fixture.given(workspaceWithAdminAndMember())
                .when(new CreateServiceAccountCommand(WS, SA, "ci-pipeline", "CI", token("t1"), ADMIN))
                .expectEvents(
                        new ServiceAccountCreatedEvent(WS, SA, "ci-pipeline", "CI"),
                        issued(SA_REF, token("t1")))
                .expectResultMessagePayload(new ServiceAccountState(SA, "ci-pipeline", "CI", ServiceAccountStatus.ACTIVE));
    }

    @Test
    void workspaceMember_cannotManageServiceAccounts() {
        fixture.given(workspaceWithAdminAndMember())
                .when(new CreateServiceAccountCommand(WS, SA, "ci-pipeline", null, token("t1"), MEMBER))
                .expectNoEvents()
                .expectException(DomainRuleException.class)
                .expectExceptionMessage(containsString("Only workspace admins"));
    }

    @Test
    void serviceAccount_cannotManageServiceAccountsOrTokens() {
        fixture.given(withAccount())
                .when(new IssueTokenCommand(WS, SA_REF, token("t2"), SA_REF))
                .expectNoEvents()
                .expectException(DomainRuleException.class)
                .expectExceptionMessage(containsString("service accounts never hold the workspace admin role"));
    }

    @Test
    void fiftyFirstAccount_isRejected() {
        List<Object> events = workspaceWithAdminAndMember();
        for (int i = 0; i < 50; i++) {
            events.add(new ServiceAccountCreatedEvent(WS, "sa-" + i, "account-" + i, null));
        }
        fixture.given(events)
                .when(new CreateServiceAccountCommand(WS, "sa-51", "one-too-many", null, token("t51"), ADMIN))
                .expectNoEvents()
                .expectException(DomainRuleException.class)
                .expectExceptionMessage(containsString("already has 50 service accounts"));
    }

    @Test
    void deletedAccounts_doNotCountTowardsTheQuota() {
        List<Object> events = workspaceWithAdminAndMember();
        for (int i = 0; i < 50; i++) {
            events.add(new ServiceAccountCreatedEvent(WS, "sa-" + i, "account-" + i, null));
        }
        events.add(new ServiceAccountDeletedEvent(WS, "sa-7", "account-7"));
        fixture.given(events)
                .when(new CreateServiceAccountCommand(WS, "sa-51", "replacement", null, token("t51"), ADMIN))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ServiceAccountCreatedEvent(WS, "sa-51", "replacement", null),
                        issued(PrincipalRef.serviceAccount("sa-51"), token("t51")));
    }

    @Test
    void deactivatedAccounts_stillCountTowardsTheQuota() {
        List<Object> events = workspaceWithAdminAndMember();
        for (int i = 0; i < 50; i++) {
            events.add(new ServiceAccountCreatedEvent(WS, "sa-" + i, "account-" + i, null));
        }
        events.add(new ServiceAccountDeactivatedEvent(WS, "sa-7", null));
        fixture.given(events)
                .when(new CreateServiceAccountCommand(WS, "sa-51", "replacement", null, token("t51"), ADMIN))
                .expectNoEvents()
                .expectException(DomainRuleException.class);
    }

    @Test
    void duplicateName_inAnyCase_isRejected() {
        fixture.given(withAccount())
                .when(new CreateServiceAccountCommand(WS, "sa-2", "CI-Pipeline", null, token("t2"), ADMIN))
                .expectNoEvents()
                .expectException(DomainRuleException.class)
                .expectExceptionMessage(containsString("names are case-insensitive"));
    }

    @Test
    void nameOfDeletedAccount_canBeReused() {
        List<Object> events = withAccount();
        events.add(new ServiceAccountDeletedEvent(WS, SA, "ci-pipeline"));
        fixture.given(events)
                .when(new CreateServiceAccountCommand(WS, "sa-2", "ci-pipeline", null, token("t2"), ADMIN))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void renamingToAnotherAccountsName_isRejected() {
        List<Object> events = withAccount();
        events.add(new ServiceAccountCreatedEvent(WS, "sa-2", "nightly-eval", null));
        fixture.given(events)
                .when(new UpdateServiceAccountCommand(WS, "sa-2", "CI-PIPELINE", null, ADMIN))
                .expectNoEvents()
                .expectException(DomainRuleException.class);
    }

    @Test
    void renaming_recordsTheNameBeforeAndAfter() {
        fixture.given(withAccount())
                .when(new UpdateServiceAccountCommand(WS, SA, "CI-Pipeline", "builds", ADMIN))
                .expectEvents(new ServiceAccountUpdatedEvent(WS, SA, "CI-Pipeline", "builds", "ci-pipeline", "CI"));
    }

    @Test
    void emptyDescription_clearsIt() {
        fixture.given(withAccount())
                .when(new UpdateServiceAccountCommand(WS, SA, null, "", ADMIN))
                .expectEvents(new ServiceAccountUpdatedEvent(WS, SA, "ci-pipeline", null, "ci-pipeline", "CI"));
    }

    @Test
    void updateThatChangesNothing_recordsNothing() {
        fixture.given(withAccount())
                .when(new UpdateServiceAccountCommand(WS, SA, "ci-pipeline", "CI", ADMIN))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void deactivating_revokesEveryActiveToken() {
        List<Object> events = withAccount();
        events.add(issued(SA_REF, token("t2")));
        events.add(issued(SA_REF, token("t3")));
        events.add(new TokenRevokedEvent(WS, "t3", SA_REF, TokenRevocationCause.REVOKED));
        fixture.given(events)
                .when(new DeactivateServiceAccountCommand(WS, SA, "leaked in CI logs", ADMIN))
                .expectEvents(
                        new ServiceAccountDeactivatedEvent(WS, SA, "leaked in CI logs"),
                        new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.ACCOUNT_DEACTIVATED),
                        new TokenRevokedEvent(WS, "t2", SA_REF, TokenRevocationCause.ACCOUNT_DEACTIVATED));
    }

    @Test
    void deactivatingTwice_isRejected() {
        List<Object> events = withAccount();
        events.add(new ServiceAccountDeactivatedEvent(WS, SA, null));
        fixture.given(events)
                .when(new DeactivateServiceAccountCommand(WS, SA, null, ADMIN))
                .expectNoEvents()
                .expectException(DomainRuleException.class)
                .expectExceptionMessage(containsString("already deactivated"));
    }

    @Test
    void reactivating_issuesAFreshToken() {
        List<Object> events = withAccount();
        events.add(new ServiceAccountDeactivatedEvent(WS, SA, null));
        events.add(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.ACCOUNT_DEACTIVATED));
        fixture.given(events)
                .when(new ReactivateServiceAccountCommand(WS, SA, token("fresh"), ADMIN))
                .expectEvents(new ServiceAccountReactivatedEvent(WS, SA), issued(SA_REF, token("fresh")));
    }

    @Test
    void reactivatingAnActiveAccount_isRejected() {
        fixture.given(withAccount())
                .when(new ReactivateServiceAccountCommand(WS, SA, token("fresh"), ADMIN))
                .expectNoEvents()
                .expectException(DomainRuleException.class);
    }

    @Test
    void deleting_revokesTokensAndFreesTheName() {
        fixture.given(withAccount())
                .when(new DeleteServiceAccountCommand(WS, SA, ADMIN))
                .expectEvents(
                        new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.ACCOUNT_DELETED),
                        new ServiceAccountDeletedEvent(WS, SA, "ci-pipeline"));
    }

    @Test
    void deletedAccount_acceptsNoFurtherCommands() {
        List<Object> events = withAccount();
        events.add(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.ACCOUNT_DELETED));
        events.add(new ServiceAccountDeletedEvent(WS, SA, "ci-pipeline"));
        fixture.given(events)
                .when(new IssueTokenCommand(WS, SA_REF, token("t2"), ADMIN))
                .expectNoEvents()
                .expectException(DomainRuleException.class)
                .expectExceptionMessage(containsString("was not found"));
    }

    @Test
    void sixthActiveToken_isRejected() {
        List<Object> events = withAccount();
        for (int i = 2; i <= 5; i++) {
            events.add(issued(SA_REF, token("t" + i)));
        }
        fixture.given(events)
                .when(new IssueTokenCommand(WS, SA_REF, token("t6"), ADMIN))
                .expectNoEvents()
                .expectException(DomainRuleException.class)
                .expectExceptionMessage(containsString("already has 5 active tokens"));
    }

    @Test
    void revokedAndExpiredTokens_doNotCountTowardsTheTokenLimit() {
        List<Object> events = withAccount();
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
        fixture.given(withAccount())
                .when(new IssueTokenCommand(WS, SA_REF, token("t2", NOW), ADMIN))
                .expectNoEvents()
                .expectException(DomainRuleException.class)
                .expectExceptionMessage(containsString("must be in the future"));
    }

    @Test
    void deactivatedAccount_getsNoNewToken() {
        List<Object> events = withAccount();
        events.add(new ServiceAccountDeactivatedEvent(WS, SA, null));
        fixture.given(events)
                .when(new IssueTokenCommand(WS, SA_REF, token("t2"), ADMIN))
                .expectNoEvents()
                .expectException(DomainRuleException.class)
                .expectExceptionMessage(containsString("is deactivated"));
    }

    @Test
    void revokingAToken_recordsWhy() {
        fixture.given(withAccount())
                .when(new RevokeTokenCommand(WS, SA_REF, "t1", ADMIN))
                .expectEvents(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.REVOKED));
    }

    @Test
    void revokingAnotherAccountsToken_isNotFound() {
        List<Object> events = withAccount();
        events.add(new ServiceAccountCreatedEvent(WS, "sa-2", "other", null));
        fixture.given(events)
                .when(new RevokeTokenCommand(WS, PrincipalRef.serviceAccount("sa-2"), "t1", ADMIN))
                .expectNoEvents()
                .expectException(DomainRuleException.class)
                .expectExceptionMessage(containsString("has no token 't1'"));
    }

    @Test
    void revokingARevokedToken_isRejected() {
        List<Object> events = withAccount();
        events.add(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.REVOKED));
        fixture.given(events)
                .when(new RevokeTokenCommand(WS, SA_REF, "t1", ADMIN))
                .expectNoEvents()
                .expectException(DomainRuleException.class)
                .expectExceptionMessage(containsString("already revoked"));
    }
}
