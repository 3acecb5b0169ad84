package dev.svcaccounts.command.federation;

import dev.svcaccounts.command.workspace.Workspace;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.events.FederationRuleAddedEvent;
import dev.svcaccounts.events.FederationRuleRemovedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.refusals.DomainRuleException.Kind;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.svcaccounts.command.workspace.History.*;
import static dev.svcaccounts.events.ProjectVisibility.PRIVATE;
import static org.assertj.core.api.Assertions.assertThat;

/** One test per rule on adding and removing a service account's federation rules ({@link FederationRules}). */
class FederationRulesTest {

    private static final String ISSUER = "https://token.actions.githubusercontent.com";

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = fixture();
    }

    private static FederationRule rule(String id, String subject, Map<String, String> claims) {
        return new FederationRule(id, ISSUER, ISSUER + "/.well-known/jwks", null, "https://github.com/acme",
                subject, claims, 900);
    }

    private static FederationRule rule(String id) {
        return rule(id, "repo:acme/train:ref:refs/heads/main", Map.of("repository", "acme/train"));
    }

    private static List<Object> withRule(FederationRule rule) {
        List<Object> events = workspaceWithAccount();
        events.add(new FederationRuleAddedEvent(WS, SA, rule));
        return events;
    }

    @Test
    void anAdminAddsARule_recordedAndReturnedAsSent() {
        FederationRule rule = rule("r1");
        fixture.given(workspaceWithAccount())
                .when(new AddFederationRuleCommand(WS, SA, rule, ADMIN))
                .expectEvents(new FederationRuleAddedEvent(WS, SA, rule))
                .expectResultMessagePayload(rule);
    }

    @Test
    void onlyAdmins_manageFederationRules() {
        fixture.given(workspaceWithAccount())
                .when(new AddFederationRuleCommand(WS, SA, rule("r1"), MEMBER))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "workspace-admin-required"));
        fixture.given(withRule(rule("r1")))
                .when(new RemoveFederationRuleCommand(WS, SA, "r1", SA_REF))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "workspace-admin-required"));
    }

    @Test
    void aScopedToken_cannotAddARule_evenAnAdmins() {
        List<Object> events = workspaceWithAccount();
        events.add(projectCreated("churn", PRIVATE, ADMIN));
        events.add(new TokenIssuedEvent(WS, "admin-scoped", ADMIN, "hash", "hint", null, null,
                new TokenScope(Map.of("churn", ProjectRole.OWNER)), null));
        fixture.given(events)
                .when(new AddFederationRuleCommand(WS, SA, rule("r1"), ADMIN),
                        Map.of(AuditMetadata.ACTOR_TYPE, "USER", AuditMetadata.ACTOR_ID, ADMIN.id(),
                                AuditMetadata.ACTOR_TOKEN_ID, "admin-scoped"))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-scope-exceeded"));
    }

    @Test
    void aRuleOfAnUnknownAccount_isNotFound() {
        fixture.given(workspaceWithAccount())
                .when(new AddFederationRuleCommand(WS, "sa-unknown", rule("r1"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "service-account-not-found"));
    }

    @Test
    void theTwentyFirstRule_isRefused_andARemovalMakesRoom() {
        List<Object> events = workspaceWithAccount();
        for (int i = 1; i <= FederationRule.MAX_RULES_PER_ACCOUNT; i++) {
            events.add(new FederationRuleAddedEvent(WS, SA, rule("r" + i, "repo:acme/r" + i + ":*", Map.of())));
        }
        fixture.given(events)
                .when(new AddFederationRuleCommand(WS, SA, rule("r21"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "federation-rule-limit-reached"));

        events.add(new FederationRuleRemovedEvent(WS, SA, "r7"));
        fixture.given(events)
                .when(new AddFederationRuleCommand(WS, SA, rule("r21"), ADMIN))
                .expectEvents(new FederationRuleAddedEvent(WS, SA, rule("r21")));
    }

    @Test
    void theLimitIsPerAccount() {
        List<Object> events = workspaceWithAccount();
        events.add(new ServiceAccountCreatedEvent(WS, "sa-2", "other", null));
        for (int i = 1; i <= FederationRule.MAX_RULES_PER_ACCOUNT; i++) {
            events.add(new FederationRuleAddedEvent(WS, "sa-2", rule("r" + i, "repo:acme/r" + i + ":*", Map.of())));
        }
        fixture.given(events)
                .when(new AddFederationRuleCommand(WS, SA, rule("r21"), ADMIN))
                .expectEvents(new FederationRuleAddedEvent(WS, SA, rule("r21")));
    }

    @Test
    void theSameIssuerAudienceSubjectAndClaimsTwice_isRefused_whateverTheKeysOrLifetime() {
        FederationRule again = new FederationRule("r2", ISSUER, null, "{\"keys\":[]}", "https://github.com/acme",
                "repo:acme/train:ref:refs/heads/main", Map.of("repository", "acme/train"), 60);
        fixture.given(withRule(rule("r1")))
                .when(new AddFederationRuleCommand(WS, SA, again, ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "federation-rule-exists"));
    }

    @Test
    void otherClaimsOrAnotherAccount_isNoDuplicate() {
        FederationRule otherClaims = rule("r2", "repo:acme/train:ref:refs/heads/main",
                Map.of("repository", "acme/train", "environment", "prod"));
        fixture.given(withRule(rule("r1")))
                .when(new AddFederationRuleCommand(WS, SA, otherClaims, ADMIN))
                .expectEvents(new FederationRuleAddedEvent(WS, SA, otherClaims));
        List<Object> events = withRule(rule("r1"));
        events.add(new ServiceAccountCreatedEvent(WS, "sa-2", "other", null));
        fixture.given(events)
                .when(new AddFederationRuleCommand(WS, "sa-2", rule("r2"), ADMIN))
                .expectEvents(new FederationRuleAddedEvent(WS, "sa-2", rule("r2")));
    }

    @Test
    void anAdminRemovesARule() {
        fixture.given(withRule(rule("r1")))
                .when(new RemoveFederationRuleCommand(WS, SA, "r1", ADMIN))
                .expectEvents(new FederationRuleRemovedEvent(WS, SA, "r1"));
    }

    @Test
    void removingAnUnknownRule_orOneAlreadyRemoved_orAnotherAccountsRule_isNotFound() {
        fixture.given(withRule(rule("r1")))
                .when(new RemoveFederationRuleCommand(WS, SA, "r-unknown", ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "federation-rule-not-found"));
        List<Object> removed = withRule(rule("r1"));
        removed.add(new FederationRuleRemovedEvent(WS, SA, "r1"));
        fixture.given(removed)
                .when(new RemoveFederationRuleCommand(WS, SA, "r1", ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "federation-rule-not-found"));
        List<Object> other = withRule(rule("r1"));
        other.add(new ServiceAccountCreatedEvent(WS, "sa-2", "other", null));
        fixture.given(other)
                .when(new RemoveFederationRuleCommand(WS, "sa-2", "r1", ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "federation-rule-not-found"));
    }

    @Test
    void aDeletedAccountsRules_goWithIt() {
        List<Object> events = withRule(rule("r1"));
        events.add(new ServiceAccountDeletedEvent(WS, SA, "ci-pipeline"));
        fixture.given(events)
                .when(new RemoveFederationRuleCommand(WS, SA, "r1", ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "service-account-not-found"));
        // what the aggregate then remembers of them (nothing), as WorkspaceState folds the deletion
        FederationState state = new FederationState();
        state.added(SA, rule("r1"));
        state.added("sa-2", rule("r2"));
        state.accountDeleted(SA);
        assertThat(state.rulesOf(SA)).isEmpty();
        assertThat(state.find(SA, "r1")).isEmpty();
        assertThat(state.rulesOf("sa-2")).containsExactly(rule("r2"));
    }
}
