package dev.svcaccounts.command.serviceaccount;

import dev.svcaccounts.command.workspace.History;
import dev.svcaccounts.command.workspace.Workspace;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.ServiceAccountUpdatedEvent;
import dev.svcaccounts.refusals.DomainRuleException.Kind;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.svcaccounts.command.workspace.History.*;

/**
 * One test per rule on creating and changing service accounts ({@link ServiceAccountRules}): who may, the quota,
 * unique names; deactivation, reactivation and deletion are in {@link ServiceAccountLifecycleRulesTest}.
 */
class ServiceAccountRulesTest {

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = History.fixture();
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
                .expectResultMessagePayload(new AccountWithToken(new ServiceAccountState(SA, "ci-pipeline", "CI",
                        ServiceAccountStatus.ACTIVE), issued(SA_REF, token("t1"))));
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
        fixture.given(workspaceWithAccount())
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
        List<Object> events = workspaceWithAccount();
        events.add(new ServiceAccountDeletedEvent(WS, SA, "ci-pipeline"));
        fixture.given(events)
                .when(new CreateServiceAccountCommand(WS, "sa-2", "ci-pipeline", null, token("t2"), ADMIN))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void renamingToAnotherAccountsName_isRejected() {
        List<Object> events = workspaceWithAccount();
        events.add(new ServiceAccountCreatedEvent(WS, "sa-2", "nightly-eval", null));
        fixture.given(events)
                .when(new UpdateServiceAccountCommand(WS, "sa-2", "CI-PIPELINE", null, ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "service-account-name-taken"));
    }

    @Test
    void renaming_recordsTheNameBeforeAndAfter() {
        fixture.given(workspaceWithAccount())
                .when(new UpdateServiceAccountCommand(WS, SA, "CI-Pipeline", "builds", ADMIN))
                .expectEvents(new ServiceAccountUpdatedEvent(WS, SA, "CI-Pipeline", "builds", "ci-pipeline", "CI"))
                .expectResultMessagePayload(new ServiceAccountState(SA, "CI-Pipeline", "builds",
                        ServiceAccountStatus.ACTIVE));
    }

    @Test
    void emptyDescription_clearsIt() {
        fixture.given(workspaceWithAccount())
                .when(new UpdateServiceAccountCommand(WS, SA, null, "", ADMIN))
                .expectEvents(new ServiceAccountUpdatedEvent(WS, SA, "ci-pipeline", null, "ci-pipeline", "CI"))
                .expectResultMessagePayload(new ServiceAccountState(SA, "ci-pipeline", null,
                        ServiceAccountStatus.ACTIVE));
    }

    @Test
    void updateThatChangesNothing_recordsNothing() {
        fixture.given(workspaceWithAccount())
                .when(new UpdateServiceAccountCommand(WS, SA, "ci-pipeline", "CI", ADMIN))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new ServiceAccountState(SA, "ci-pipeline", "CI",
                        ServiceAccountStatus.ACTIVE));
    }
}
