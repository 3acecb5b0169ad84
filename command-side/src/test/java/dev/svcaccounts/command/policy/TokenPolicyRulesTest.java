package dev.svcaccounts.command.policy;

import dev.svcaccounts.command.member.AddMemberCommand;
import dev.svcaccounts.command.serviceaccount.AccountWithToken;
import dev.svcaccounts.command.serviceaccount.CreateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.ReactivateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.ServiceAccountState;
import dev.svcaccounts.command.serviceaccount.ServiceAccountStatus;
import dev.svcaccounts.command.token.IssueTokenCommand;
import dev.svcaccounts.command.workspace.History;
import dev.svcaccounts.command.workspace.Workspace;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountReactivatedEvent;
import dev.svcaccounts.events.TokenPolicy;
import dev.svcaccounts.events.TokenPolicySetEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException.Kind;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.svcaccounts.command.workspace.History.*;

/**
 * One test per rule of the workspace credential policy ({@link TokenPolicyRules}): who sets it and its ranges, the
 * expiry new tokens get under it (both owner kinds, with a creation, a reactivation and a new member too), service
 * accounts without tokens. Enforcement and idle revocation: {@link TokenPolicyEnforcementTest}.
 */
class TokenPolicyRulesTest {

    static final TokenPolicy MAX_90 = new TokenPolicy(90, false, null, true);
    static final Instant IN_90_DAYS = NOW.plus(Duration.ofDays(90));

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = History.fixture();
    }

    static TokenPolicySetEvent policySet(TokenPolicy policy, TokenPolicy previous) {
        return new TokenPolicySetEvent(WS, policy, previous, false, null);
    }

    static List<Object> withPolicy(List<Object> history, TokenPolicy policy) {
        history.add(policySet(policy, TokenPolicy.DEFAULT));
        return history;
    }

    // ---- setting it

    @Test
    void adminSetsThePolicy_recordedWithThePreviousOne() {
        TokenPolicy policy = new TokenPolicy(90, true, 30, false);
        fixture.given(workspaceWithAccount())
                .when(new SetTokenPolicyCommand(WS, policy, false, ADMIN))
                .expectEvents(new TokenPolicySetEvent(WS, policy, TokenPolicy.DEFAULT, false, NOW))
                .expectResultMessagePayload(new PolicyDecision(policy, false, 0, 0));
    }

    @Test
    void memberOrServiceAccount_cannotSetThePolicy() {
        fixture.given(workspaceWithAccount())
                .when(new SetTokenPolicyCommand(WS, MAX_90, false, MEMBER))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "workspace-admin-required"));
        fixture.given(workspaceWithAccount())
                .when(new SetTokenPolicyCommand(WS, MAX_90, false, SA_REF))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "workspace-admin-required"));
    }

    @Test
    void daysOutOfRange_areRefused() {
        for (TokenPolicy policy : List.of(new TokenPolicy(0, false, null, true),
                new TokenPolicy(3651, false, null, true), new TokenPolicy(null, false, 0, true),
                new TokenPolicy(null, false, 3651, true))) {
            fixture.given(workspaceWithAccount())
                    .when(new SetTokenPolicyCommand(WS, policy, false, ADMIN))
                    .expectNoEvents()
                    .expectException(refused(Kind.INVALID, "invalid-policy"));
        }
    }

    @Test
    void thePolicyInForceAgain_withoutEnforce_recordsNothing() {
        fixture.given(withPolicy(workspaceWithAccount(), MAX_90))
                .when(new SetTokenPolicyCommand(WS, MAX_90, false, ADMIN))
                .expectNoEvents()
                .expectResultMessagePayload(new PolicyDecision(MAX_90, false, 0, 0));
    }

    @Test
    void idleTimeCountsFromWhenAMaximumFirstCameIntoForce_keptWhileItStaysSet() {
        TokenPolicy idle30 = new TokenPolicy(null, false, 30, true);
        TokenPolicy idle10 = new TokenPolicy(null, false, 10, true);
        Instant since = NOW.minus(Duration.ofDays(3));
        List<Object> history = workspaceWithAccount();
        history.add(new TokenPolicySetEvent(WS, idle30, TokenPolicy.DEFAULT, false, since));
        fixture.given(history)
                .when(new SetTokenPolicyCommand(WS, idle10, false, ADMIN))
                .expectEvents(new TokenPolicySetEvent(WS, idle10, idle30, false, since));
    }

    // ---- new tokens under it

    @Test
    void tokenWithoutExpiry_getsTheMaximumLifetime_forBothOwnerKinds() {
        fixture.given(withPolicy(workspaceWithAccount(), MAX_90))
                .when(new IssueTokenCommand(WS, SA_REF, token("t2"), ADMIN))
                .expectEvents(issued(SA_REF, token("t2", IN_90_DAYS)))
                .expectResultMessagePayload(issued(SA_REF, token("t2", IN_90_DAYS)));
        fixture.given(withPolicy(workspaceWithAccount(), MAX_90))
                .when(new IssueTokenCommand(WS, MEMBER, token("bob-1"), MEMBER))
                .expectEvents(issued(MEMBER, token("bob-1", IN_90_DAYS)));
    }

    @Test
    void expiryWithinTheMaximum_isKept() {
        Instant in30Days = NOW.plus(Duration.ofDays(30));
        fixture.given(withPolicy(workspaceWithAccount(), MAX_90))
                .when(new IssueTokenCommand(WS, SA_REF, token("t2", in30Days), ADMIN))
                .expectEvents(issued(SA_REF, token("t2", in30Days)));
    }

    @Test
    void expiryBeyondTheMaximum_isRefused_namingTheLimit() {
        fixture.given(withPolicy(workspaceWithAccount(), MAX_90))
                .when(new IssueTokenCommand(WS, MEMBER, token("bob-1", IN_90_DAYS.plusSeconds(1)), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.INVALID, "policy-max-lifetime"));
    }

    @Test
    void requireExpiryWithoutMaximum_refusesATokenWithoutExpiry() {
        TokenPolicy requireExpiry = new TokenPolicy(null, true, null, true);
        fixture.given(withPolicy(workspaceWithAccount(), requireExpiry))
                .when(new IssueTokenCommand(WS, SA_REF, token("t2"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.INVALID, "policy-require-expiry"));
        Instant later = NOW.plus(Duration.ofDays(4000));
        fixture.given(withPolicy(workspaceWithAccount(), requireExpiry))
                .when(new IssueTokenCommand(WS, SA_REF, token("t2", later), ADMIN))
                .expectEvents(issued(SA_REF, token("t2", later)));
    }

    @Test
    void serviceAccountTokensDisallowed_refusesIssuingOne_butNotAUsersToken() {
        TokenPolicy noSaTokens = new TokenPolicy(null, false, null, false);
        fixture.given(withPolicy(workspaceWithAccount(), noSaTokens))
                .when(new IssueTokenCommand(WS, SA_REF, token("t2"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "policy-service-account-tokens"));
        fixture.given(withPolicy(workspaceWithAccount(), noSaTokens))
                .when(new IssueTokenCommand(WS, MEMBER, token("bob-1"), MEMBER))
                .expectEvents(issued(MEMBER, token("bob-1")));
    }

    @Test
    void serviceAccountTokensDisallowed_creationAndReactivationIssueNone() {
        TokenPolicy noSaTokens = new TokenPolicy(null, false, null, false);
        fixture.given(withPolicy(workspaceWithAdminAndMember(), noSaTokens))
                .when(new CreateServiceAccountCommand(WS, SA, "ci-pipeline", "CI", token("t1"), ADMIN))
                .expectEvents(new ServiceAccountCreatedEvent(WS, SA, "ci-pipeline", "CI"))
                .expectResultMessagePayload(new AccountWithToken(
                        new ServiceAccountState(SA, "ci-pipeline", "CI", ServiceAccountStatus.ACTIVE), null));
        List<Object> deactivated = workspaceWithAccount();
        deactivated.add(new ServiceAccountDeactivatedEvent(WS, SA, null));
        deactivated.add(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.ACCOUNT_DEACTIVATED));
        fixture.given(withPolicy(deactivated, noSaTokens))
                .when(new ReactivateServiceAccountCommand(WS, SA, token("fresh"), ADMIN))
                .expectEvents(new ServiceAccountReactivatedEvent(WS, SA))
                .expectResultMessagePayload(new AccountWithToken(
                        new ServiceAccountState(SA, "ci-pipeline", "CI", ServiceAccountStatus.ACTIVE), null));
    }

    @Test
    void creationReactivationAndNewMember_followTheMaximumLifetime() {
        fixture.given(withPolicy(workspaceWithAdminAndMember(), MAX_90))
                .when(new CreateServiceAccountCommand(WS, SA, "ci-pipeline", "CI", token("t1"), ADMIN))
                .expectEvents(new ServiceAccountCreatedEvent(WS, SA, "ci-pipeline", "CI"),
                        issued(SA_REF, token("t1", IN_90_DAYS)));
        fixture.given(withPolicy(workspaceWithAdminAndMember(), MAX_90))
                .when(new CreateServiceAccountCommand(WS, SA, "ci-pipeline", "CI",
                        token("t1", IN_90_DAYS.plusSeconds(1)), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.INVALID, "policy-max-lifetime"));
        List<Object> deactivated = workspaceWithAccount();
        deactivated.add(new ServiceAccountDeactivatedEvent(WS, SA, null));
        fixture.given(withPolicy(deactivated, MAX_90))
                .when(new ReactivateServiceAccountCommand(WS, SA, token("fresh"), ADMIN))
                .expectEvents(new ServiceAccountReactivatedEvent(WS, SA), issued(SA_REF, token("fresh", IN_90_DAYS)));
        fixture.given(withPolicy(workspaceWithAdminAndMember(), MAX_90))
                .when(new AddMemberCommand(WS, "carol", WorkspaceRole.MEMBER, token("carol-1"), ADMIN))
                .expectEvents(new UserAddedEvent(WS, "carol", WorkspaceRole.MEMBER),
                        issued(dev.svcaccounts.events.PrincipalRef.user("carol"), token("carol-1", IN_90_DAYS)));
    }

    @Test
    void creationWithRequireExpiry_needsAnExpiry() {
        TokenPolicy requireExpiry = new TokenPolicy(null, true, null, true);
        fixture.given(withPolicy(workspaceWithAdminAndMember(), requireExpiry))
                .when(new CreateServiceAccountCommand(WS, SA, "ci-pipeline", "CI", token("t1"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.INVALID, "policy-require-expiry"));
    }

    /**
     * The policy and the issue are decided one after the other on the same state: a token issued after a stricter
     * policy follows it, whatever the request saw when it was sent (here: the controller could not know the policy).
     */
    @Test
    void aPolicyChangeDecidedFirst_governsTheTokenIssuedNext() {
        fixture.given(workspaceWithAccount())
                .andGivenCommands(new SetTokenPolicyCommand(WS, new TokenPolicy(7, false, null, true), false, ADMIN))
                .when(new IssueTokenCommand(WS, SA_REF, token("t2", NOW.plus(Duration.ofDays(30))), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.INVALID, "policy-max-lifetime"));
    }
}
