package dev.svcaccounts.command.serviceaccount;

import dev.svcaccounts.command.token.IssueTokenCommand;
import dev.svcaccounts.command.workspace.History;
import dev.svcaccounts.command.workspace.Workspace;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.ServiceAccountReactivatedEvent;
import dev.svcaccounts.events.ServiceAccountUpdatedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.infra.web.DomainRuleException.Kind;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.svcaccounts.command.workspace.History.*;
/** One test per service-account rule of the Workspace aggregate ({@link ServiceAccountRules}). */
class ServiceAccountRulesTest {

    private static final String SA = "sa-1";
    private static final PrincipalRef SA_REF = PrincipalRef.serviceAccount(SA);

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = History.fixture();
    }

    private static List<Object> withAccount() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(new ServiceAccountCreatedEvent(WS, SA, "ci-pipeline", "CI"));
        events.add(issued(SA_REF, token("t1")));
        return events;
    }

    private static List<Object> withFiftyAccounts() {
        List<Object> events = workspaceWithAdminAndMember();
        for (int i = 0; i < 50; i++) {
            events.add(new ServiceAccountCreatedEvent(WS, "sa-" + i, "account-" + i, null));
        }
        return events;
    }

    @Test
    void creatingServiceAccount_issuesItsFirstToken() {
        fixture.given(workspaceWithAdminAndMember())
                .when(new CreateServiceAccountCommand(WS, SA, "ci-pipeline", "CI", token("t1"), ADMIN))
                .expectEvents(
                        new ServiceAccountCreatedEvent(WS, SA, "ci-pipeline", "CI"),
                        issued(SA_REF, token("t1")))
                .expectResultMessagePayload(new ServiceAccountState(SA, "ci-pipeline", "CI",
                        ServiceAccountStatus.ACTIVE));
    }

    @Test
    void workspaceMember_cannotManageServiceAccounts() {
        fixture.given(workspaceWithAdminAndMember())
                .when(new CreateServiceAccountCommand(WS, SA, "ci-pipeline", null, token("t1"), MEMBER))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "workspace-admin-required"));
    }

    @Test
    void fiftyFirstAccount_isRejected() {
        fixture.given(withFiftyAccounts())
                .when(new CreateServiceAccountCommand(WS, "sa-51", "one-too-many", null, token("t51"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "service-account-quota-reached"));
    }

    @Test
    void deletedAccounts_doNotCountTowardsTheQuota() {
        List<Object> events = withFiftyAccounts();
        events.add(new ServiceAccountDeletedEvent(WS, "sa-7", "account-7"));
        fixture.given(events)
                .when(new CreateServiceAccountCommand(WS, "sa-51", "replacement", null, token("t51"), ADMIN))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ServiceAccountCreatedEvent(WS, "sa-51", "replacement", null),
                        issued(PrincipalRef.serviceAccount("sa-51"), token("t51")));
    }

    @Test
    void deactivatedAccounts_stillCountTowardsTheQuota() {
        List<Object> events = withFiftyAccounts();
        events.add(new ServiceAccountDeactivatedEvent(WS, "sa-7", null));
        fixture.given(events)
                .when(new CreateServiceAccountCommand(WS, "sa-51", "replacement", null, token("t51"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "service-account-quota-reached"));
    }

    @Test
    void duplicateName_inAnyCase_isRejected() {
        fixture.given(withAccount())
                .when(new CreateServiceAccountCommand(WS, "sa-2", "CI-Pipeline", null, token("t2"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "service-account-name-taken"));
    }

    @Test
    void duplicateName_afterUnicodeCompatibilityFolding_isRejected() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(new ServiceAccountCreatedEvent(WS, SA, "ci", null));
        fixture.given(events)
                .when(new CreateServiceAccountCommand(WS, "sa-2", "Ｃi", null, token("t2"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "service-account-name-taken"));
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
                .expectException(refused(Kind.CONFLICT, "service-account-name-taken"));
    }

    @Test
    void renaming_recordsTheNameBeforeAndAfter() {
        fixture.given(withAccount())
                .when(new UpdateServiceAccountCommand(WS, SA, "CI-Pipeline", "builds", ADMIN))
                .expectEvents(new ServiceAccountUpdatedEvent(WS, SA, "CI-Pipeline", "builds", "ci-pipeline", "CI"))
                .expectResultMessagePayload(new ServiceAccountState(SA, "CI-Pipeline", "builds",
                        ServiceAccountStatus.ACTIVE));
    }

    @Test
    void emptyDescription_clearsIt() {
        fixture.given(withAccount())
                .when(new UpdateServiceAccountCommand(WS, SA, null, "", ADMIN))
                .expectEvents(new ServiceAccountUpdatedEvent(WS, SA, "ci-pipeline", null, "ci-pipeline", "CI"))
                .expectResultMessagePayload(new ServiceAccountState(SA, "ci-pipeline", null,
                        ServiceAccountStatus.ACTIVE));
    }

    @Test
    void updateThatChangesNothing_recordsNothing() {
        fixture.given(withAccount())
                .when(new UpdateServiceAccountCommand(WS, SA, "ci-pipeline", "CI", ADMIN))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new ServiceAccountState(SA, "ci-pipeline", "CI",
                        ServiceAccountStatus.ACTIVE));
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
                        new TokenRevokedEvent(WS, "t2", SA_REF, TokenRevocationCause.ACCOUNT_DEACTIVATED))
                .expectResultMessagePayload(new ServiceAccountState(SA, "ci-pipeline", "CI",
                        ServiceAccountStatus.DEACTIVATED));
    }

    @Test
    void deactivatingTwice_isRejected() {
        List<Object> events = withAccount();
        events.add(new ServiceAccountDeactivatedEvent(WS, SA, null));
        fixture.given(events)
                .when(new DeactivateServiceAccountCommand(WS, SA, null, ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "service-account-already-deactivated"));
    }

    @Test
    void reactivating_issuesAFreshToken() {
        List<Object> events = withAccount();
        events.add(new ServiceAccountDeactivatedEvent(WS, SA, null));
        events.add(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.ACCOUNT_DEACTIVATED));
        fixture.given(events)
                .when(new ReactivateServiceAccountCommand(WS, SA, token("fresh"), ADMIN))
                .expectEvents(new ServiceAccountReactivatedEvent(WS, SA), issued(SA_REF, token("fresh")))
                .expectResultMessagePayload(new ServiceAccountState(SA, "ci-pipeline", "CI",
                        ServiceAccountStatus.ACTIVE));
    }

    @Test
    void reactivatingAnActiveAccount_isRejected() {
        fixture.given(withAccount())
                .when(new ReactivateServiceAccountCommand(WS, SA, token("fresh"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "service-account-already-active"));
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
                .expectException(refused(Kind.NOT_FOUND, "service-account-not-found"));
    }
}
