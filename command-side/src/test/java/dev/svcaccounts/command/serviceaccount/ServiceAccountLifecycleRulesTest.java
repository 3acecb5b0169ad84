package dev.svcaccounts.command.serviceaccount;

import dev.svcaccounts.command.token.IssueTokenCommand;
import dev.svcaccounts.command.workspace.History;
import dev.svcaccounts.command.workspace.Workspace;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.ServiceAccountReactivatedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.refusals.DomainRuleException.Kind;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.svcaccounts.command.workspace.History.*;

/**
 * One test per rule on a service account's lifecycle ({@link ServiceAccountRules}): deactivation, reactivation,
 * deletion; creating, naming and the quota are in {@link ServiceAccountRulesTest}.
 */
class ServiceAccountLifecycleRulesTest {

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = History.fixture();
    }

    @Test
    void deactivating_revokesEveryActiveToken() {
        List<Object> events = workspaceWithAccount();
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
        List<Object> events = workspaceWithAccount();
        events.add(new ServiceAccountDeactivatedEvent(WS, SA, null));
        fixture.given(events)
                .when(new DeactivateServiceAccountCommand(WS, SA, null, ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "service-account-already-deactivated"));
    }

    @Test
    void reactivating_issuesAFreshToken() {
        List<Object> events = workspaceWithAccount();
        events.add(new ServiceAccountDeactivatedEvent(WS, SA, null));
        events.add(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.ACCOUNT_DEACTIVATED));
        fixture.given(events)
                .when(new ReactivateServiceAccountCommand(WS, SA, token("fresh"), ADMIN))
                .expectEvents(new ServiceAccountReactivatedEvent(WS, SA), issued(SA_REF, token("fresh")))
                .expectResultMessagePayload(new AccountWithToken(new ServiceAccountState(SA, "ci-pipeline", "CI",
                        ServiceAccountStatus.ACTIVE), issued(SA_REF, token("fresh"))));
    }

    @Test
    void reactivatingAnActiveAccount_isRejected() {
        fixture.given(workspaceWithAccount())
                .when(new ReactivateServiceAccountCommand(WS, SA, token("fresh"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "service-account-already-active"));
    }

    @Test
    void deleting_revokesTokensAndFreesTheName() {
        fixture.given(workspaceWithAccount())
                .when(new DeleteServiceAccountCommand(WS, SA, ADMIN))
                .expectEvents(
                        new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.ACCOUNT_DELETED),
                        new ServiceAccountDeletedEvent(WS, SA, "ci-pipeline"));
    }

    @Test
    void deletedAccount_acceptsNoFurtherCommands() {
        List<Object> events = workspaceWithAccount();
        events.add(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.ACCOUNT_DELETED));
        events.add(new ServiceAccountDeletedEvent(WS, SA, "ci-pipeline"));
        fixture.given(events)
                .when(new IssueTokenCommand(WS, SA_REF, token("t2"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "service-account-not-found"));
    }
}
