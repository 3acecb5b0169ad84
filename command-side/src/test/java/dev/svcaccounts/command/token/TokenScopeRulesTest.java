package dev.svcaccounts.command.token;

import dev.svcaccounts.command.member.AddMemberCommand;
import dev.svcaccounts.command.project.AssignProjectRoleCommand;
import dev.svcaccounts.command.project.CreateProjectCommand;
import dev.svcaccounts.command.project.DeleteProjectCommand;
import dev.svcaccounts.command.project.UnassignProjectRoleCommand;
import dev.svcaccounts.command.project.UpdateProjectCommand;
import dev.svcaccounts.command.serviceaccount.CreateServiceAccountCommand;
import dev.svcaccounts.command.workspace.Workspace;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectRenamedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectRoleRemovalCause;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException.Kind;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.svcaccounts.command.workspace.History.*;
import static dev.svcaccounts.events.ProjectVisibility.PRIVATE;
import static dev.svcaccounts.events.ProjectVisibility.WORKSPACE;

/**
 * A scoped token acts only within the projects it names, at the lower of its owner's role and its cap, decided by the
 * workspace from its own memory of the token ({@link TokenScopeRules}); one test per rule.
 */
class TokenScopeRulesTest {

    private static final TokenScope CHURN_VIEWER = new TokenScope(Map.of("churn", ProjectRole.VIEWER));
    private static final TokenScope CHURN_OWNER = new TokenScope(Map.of("churn", ProjectRole.OWNER));

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = fixture();
    }

    /** acme with the account sa-1 (owner of churn), bob's project eval, and the tokens under test. */
    private static List<Object> projectsAndTokens() {
        List<Object> events = workspaceWithAccount();
        events.add(projectCreated("churn", WORKSPACE, SA_REF));
        events.add(assigned("churn", SA_REF, ProjectRole.OWNER, null));
        events.add(projectCreated("eval", PRIVATE, MEMBER));
        events.add(assigned("eval", MEMBER, ProjectRole.OWNER, null));
        events.add(assigned("eval", SA_REF, ProjectRole.CONTRIBUTOR, null));
        events.add(scoped(SA_REF, "sa-viewer", CHURN_VIEWER));
        events.add(scoped(SA_REF, "sa-owner", CHURN_OWNER));
        events.add(scoped(ADMIN, "admin-viewer", CHURN_VIEWER));
        return events;
    }

    private static TokenIssuedEvent scoped(PrincipalRef owner, String tokenId, TokenScope scope) {
        NewToken t = token(tokenId);
        return new TokenIssuedEvent(WS, tokenId, owner, t.secretHash(), t.hint(), null, null, scope, null);
    }

    private static Map<String, Object> sentWith(PrincipalRef actor, String tokenId) {
        return Map.of(AuditMetadata.ACTOR_TYPE, actor.type().name(), AuditMetadata.ACTOR_ID, actor.id(),
                AuditMetadata.ACTOR_TOKEN_ID, tokenId);
    }

    private static NewToken scopedToken(String id, TokenScope scope) {
        return new NewToken(id, "hash-" + id, "svcacct_..." + id, null, null, scope);
    }

    @Test
    void aTokenIssuedWithAScope_recordsIt() {
        TokenScope scope = new TokenScope(Map.of("churn", ProjectRole.VIEWER, "eval", ProjectRole.CONTRIBUTOR));
        fixture.given(projectsAndTokens())
                .when(new IssueTokenCommand(WS, SA_REF, scopedToken("t9", scope), ADMIN),
                        sentWith(ADMIN, "admin-token"))
                .expectEvents(scoped(SA_REF, "t9", scope));
    }

    @Test
    void aScopeNamingAProjectTheWorkspaceDoesNotHave_isRefusedNamingIt() {
        TokenScope scope = new TokenScope(Map.of("churn", ProjectRole.VIEWER, "nope", ProjectRole.VIEWER));
        fixture.given(projectsAndTokens())
                .when(new IssueTokenCommand(WS, MEMBER, scopedToken("t9", scope), MEMBER))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "project-not-found"))
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("'nope'"));
    }

    @Test
    void aScopedToken_neverIssuesATokenEvenToItsOwnUser() {
        List<Object> events = projectsAndTokens();
        events.add(scoped(MEMBER, "bob-scoped", new TokenScope(Map.of("eval", ProjectRole.OWNER))));
        fixture.given(events)
                .when(new IssueTokenCommand(WS, MEMBER, token("t9"), MEMBER), sentWith(MEMBER, "bob-scoped"))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-scope-exceeded"));
        fixture.given(events)
                .when(new IssueTokenCommand(WS, SA_REF, token("t9"), ADMIN), sentWith(ADMIN, "admin-viewer"))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-scope-exceeded"));
    }

    @Test
    void aScopedToken_doesNothingWorkspaceLevel_whateverItsOwnerMay() {
        fixture.given(projectsAndTokens())
                .when(new CreateProjectCommand(WS, "models", "Models", PRIVATE, SA_REF), sentWith(SA_REF, "sa-owner"))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-scope-exceeded"));
        fixture.given(projectsAndTokens())
                .when(new AddMemberCommand(WS, "carol", WorkspaceRole.MEMBER, token("carol-1"), ADMIN),
                        sentWith(ADMIN, "admin-viewer"))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-scope-exceeded"));
        fixture.given(projectsAndTokens())
                .when(new CreateServiceAccountCommand(WS, "sa-2", "another", null, token("sa2-1"), ADMIN),
                        sentWith(ADMIN, "admin-viewer"))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-scope-exceeded"));
        fixture.given(projectsAndTokens())
                .when(new DeleteProjectCommand(WS, "churn", ADMIN), sentWith(ADMIN, "admin-viewer"))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-scope-exceeded"));
    }

    @Test
    void anOwnersTokenCappedBelowOwner_cannotManageAssignments() {
        fixture.given(projectsAndTokens())
                .when(new AssignProjectRoleCommand(WS, "churn", MEMBER, ProjectRole.VIEWER, SA_REF),
                        sentWith(SA_REF, "sa-viewer"))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-scope-exceeded"));
        fixture.given(projectsAndTokens())
                .when(new UnassignProjectRoleCommand(WS, "churn", SA_REF, SA_REF), sentWith(SA_REF, "sa-viewer"))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-scope-exceeded"));
    }

    @Test
    void anOwnersTokenCappedAtOwner_managesTheProjectItNames() {
        fixture.given(projectsAndTokens())
                .when(new AssignProjectRoleCommand(WS, "churn", MEMBER, ProjectRole.CONTRIBUTOR, SA_REF),
                        sentWith(SA_REF, "sa-owner"))
                .expectEvents(assigned("churn", MEMBER, ProjectRole.CONTRIBUTOR, null));
        fixture.given(projectsAndTokens())
                .when(new UnassignProjectRoleCommand(WS, "churn", SA_REF, SA_REF), sentWith(SA_REF, "sa-owner"))
                .expectEvents(new ProjectRoleRemovedEvent(WS, "churn", SA_REF, ProjectRole.OWNER,
                        ProjectRoleRemovalCause.UNASSIGNED));
    }

    @Test
    void aProjectOutsideTheScope_isOneTheTokenCannotActIn() {
        List<Object> events = projectsAndTokens();
        events.add(assigned("eval", SA_REF, ProjectRole.OWNER, ProjectRole.CONTRIBUTOR));
        fixture.given(events)
                .when(new UpdateProjectCommand(WS, "eval", "Renamed", null, SA_REF), sentWith(SA_REF, "sa-owner"))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-scope-exceeded"));
    }

    @Test
    void theCapNeverWidens_whenTheAccountGainsRoles() {
        List<Object> events = projectsAndTokens();
        events.add(projectCreated("models", PRIVATE, MEMBER));
        events.add(assigned("models", MEMBER, ProjectRole.OWNER, null));
        events.add(scoped(SA_REF, "sa-models", new TokenScope(Map.of("models", ProjectRole.VIEWER))));
        events.add(assigned("models", SA_REF, ProjectRole.OWNER, null)); // after the token was issued
        fixture.given(events)
                .when(new UpdateProjectCommand(WS, "models", "Renamed", null, SA_REF), sentWith(SA_REF, "sa-models"))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-scope-exceeded"));
    }

    @Test
    void anAdminsTokenScopedToViewer_isAViewerOfThatProject() {
        fixture.given(projectsAndTokens())
                .when(new UpdateProjectCommand(WS, "churn", "Renamed", null, ADMIN), sentWith(ADMIN, "admin-viewer"))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-scope-exceeded"));
        fixture.given(projectsAndTokens())
                .when(new UpdateProjectCommand(WS, "churn", "Renamed", null, ADMIN), sentWith(ADMIN, "admin-token"))
                .expectEvents(new ProjectRenamedEvent(WS, "churn", "Renamed", "Project churn"));
    }

    @Test
    void whatTheAccountItselfMayNotDo_isRefusedForTheAccount_notTheScope() {
        List<Object> events = projectsAndTokens();
        events.add(scoped(SA_REF, "sa-eval", new TokenScope(Map.of("eval", ProjectRole.OWNER))));
        fixture.given(events)
                .when(new UpdateProjectCommand(WS, "eval", "Renamed", null, SA_REF), sentWith(SA_REF, "sa-eval"))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "project-manage-required"));
    }
}
