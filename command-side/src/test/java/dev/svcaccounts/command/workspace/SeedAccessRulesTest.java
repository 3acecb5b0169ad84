package dev.svcaccounts.command.workspace;

import dev.svcaccounts.command.member.AddMemberCommand;
import dev.svcaccounts.command.project.AssignProjectRoleCommand;
import dev.svcaccounts.command.project.AssignmentResult;
import dev.svcaccounts.command.project.DeleteProjectCommand;
import dev.svcaccounts.command.project.ProjectSummary;
import dev.svcaccounts.command.project.UnassignProjectRoleCommand;
import dev.svcaccounts.command.project.UpdateProjectCommand;
import dev.svcaccounts.command.token.IssueTokenCommand;
import dev.svcaccounts.command.token.RevokeTokenCommand;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectDeletedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectRoleRemovalCause;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.ProjectVisibilityChangedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException.Kind;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.svcaccounts.command.workspace.History.*;
import static dev.svcaccounts.events.ProjectRole.CONTRIBUTOR;
import static dev.svcaccounts.events.ProjectRole.OWNER;
import static dev.svcaccounts.events.ProjectRole.VIEWER;
import static dev.svcaccounts.events.ProjectVisibility.PRIVATE;
import static dev.svcaccounts.events.ProjectVisibility.PUBLIC;
import static dev.svcaccounts.events.ProjectVisibility.WORKSPACE;
import static org.hamcrest.Matchers.containsString;

/**
 * The access rules of Neptune's service-account page, one test each, as the Workspace aggregate enforces them.
 * Given: alice (admin), bob (member), carol (member, owner of "models"), service accounts owner-sa (owner of
 * "models"), contrib-sa, viewer-sa (assigned with those roles) and idle-sa (assigned nowhere); "models" is
 * visible to the whole workspace, which gives users, never service accounts, implicit access.
 */
class SeedAccessRulesTest {

    private static final PrincipalRef CAROL = PrincipalRef.user("carol");
    private static final PrincipalRef OWNER_SA = PrincipalRef.serviceAccount("owner-sa");
    private static final PrincipalRef CONTRIB_SA = PrincipalRef.serviceAccount("contrib-sa");
    private static final PrincipalRef VIEWER_SA = PrincipalRef.serviceAccount("viewer-sa");
    private static final PrincipalRef IDLE_SA = PrincipalRef.serviceAccount("idle-sa");

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = fixture();
    }

    private static List<Object> history() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(new dev.svcaccounts.events.UserAddedEvent(WS, "carol", WorkspaceRole.MEMBER));
        for (String sa : List.of("owner-sa", "contrib-sa", "viewer-sa", "idle-sa")) {
            events.add(accountCreated(sa));
            events.add(issued(PrincipalRef.serviceAccount(sa), token(sa + "-token")));
        }
        events.add(projectCreated("models", WORKSPACE, CAROL));
        events.add(assigned("models", CAROL, OWNER, null));
        events.add(assigned("models", OWNER_SA, OWNER, null));
        events.add(assigned("models", CONTRIB_SA, CONTRIBUTOR, null));
        events.add(assigned("models", VIEWER_SA, VIEWER, null));
        return events;
    }

    @Test
    void rule1_serviceAccountSeesNoProjectUntilAssigned_evenWithWorkspaceVisibility() {
        fixture.given(history())
                .when(new UpdateProjectCommand(WS, "models", "renamed", null, IDLE_SA))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "project-not-found"));
    }

    @Test
    void rule1_aPlainMemberDoesGetImplicitAccessFromWorkspaceVisibility_butNotToManage() {
        // bob sees the project (403, not 404): visibility made him a contributor, which does not manage
        fixture.given(history())
                .when(new AssignProjectRoleCommand(WS, "models", IDLE_SA, VIEWER, MEMBER))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "project-manage-required"));
    }

    @Test
    void rule2_contributorAndViewerServiceAccounts_doNotManage_actingIsForThePlatformThroughIntrospection() {
        fixture.given(history())
                .when(new UpdateProjectCommand(WS, "models", null, PRIVATE, CONTRIB_SA))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "project-manage-required"));
        fixture.given(history())
                .when(new AssignProjectRoleCommand(WS, "models", IDLE_SA, VIEWER, VIEWER_SA))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "project-manage-required"));
    }

    @Test
    void rule3_workspaceAdminsManageAssignments_evenOfProjectsTheyAreNotAssignedTo() {
        fixture.given(history())
                .when(new AssignProjectRoleCommand(WS, "models", IDLE_SA, CONTRIBUTOR, ADMIN))
                .expectEvents(assigned("models", IDLE_SA, CONTRIBUTOR, null))
                .expectResultMessagePayload(new AssignmentResult("models", IDLE_SA, CONTRIBUTOR, null));
    }

    @Test
    void rule3_projectOwnersManageAssignments() {
        fixture.given(history())
                .when(new AssignProjectRoleCommand(WS, "models", VIEWER_SA, CONTRIBUTOR, CAROL))
                .expectEvents(assigned("models", VIEWER_SA, CONTRIBUTOR, VIEWER));
    }

    @Test
    void rule3_membersWhoAreNotOwners_cannotManageAssignments() {
        List<Object> events = history();
        events.add(assigned("models", MEMBER, CONTRIBUTOR, null));
        fixture.given(events)
                .when(new UnassignProjectRoleCommand(WS, "models", VIEWER_SA, MEMBER))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "project-manage-required"));
    }

    @Test
    void rule4_projectOwnersCannotIssueOrRevokeServiceAccountTokens() {
        fixture.given(history())
                .when(new IssueTokenCommand(WS, CONTRIB_SA, token("extra"), CAROL))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "workspace-admin-required"));
        fixture.given(history())
                .when(new RevokeTokenCommand(WS, CONTRIB_SA, "contrib-sa-token", OWNER_SA))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "workspace-admin-required"));
    }

    @Test
    void rule5_serviceAccountsNeverDeleteProjects_whateverTheirRole() {
        fixture.given(history())
                .when(new DeleteProjectCommand(WS, "models", OWNER_SA))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "service-accounts-cannot-delete-projects"));
    }

    @Test
    void rule5_evenAnUnassignedServiceAccountIsToldTheRule_notWhetherTheProjectExists() {
        fixture.given(history())
                .when(new DeleteProjectCommand(WS, "no-such-project", IDLE_SA))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "service-accounts-cannot-delete-projects"));
    }

    @Test
    void rule5_onlyWorkspaceAdminsDeleteProjects() {
        fixture.given(history())
                .when(new DeleteProjectCommand(WS, "models", CAROL))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "workspace-admin-required"));
        fixture.given(history())
                .when(new DeleteProjectCommand(WS, "models", ADMIN))
                .expectEvents(
                        removedWithTheProject(CAROL, OWNER),
                        removedWithTheProject(CONTRIB_SA, CONTRIBUTOR),
                        removedWithTheProject(OWNER_SA, OWNER),
                        removedWithTheProject(VIEWER_SA, VIEWER),
                        new ProjectDeletedEvent(WS, "models", "Project models"));
    }

    private static ProjectRoleRemovedEvent removedWithTheProject(PrincipalRef assignee, ProjectRole role) {
        return new ProjectRoleRemovedEvent(WS, "models", assignee, role, ProjectRoleRemovalCause.PROJECT_DELETED);
    }

    @Test
    void rule5_serviceAccountsNeverHoldTheWorkspaceAdminRole() {
        fixture.given(history())
                .when(new AddMemberCommand(WS, "mallory", WorkspaceRole.ADMIN, token("m"), OWNER_SA))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "workspace-admin-required"))
                // the one difference from a member's refusal, which has the same code, is what its detail says
                .expectExceptionMessage(containsString("service accounts never hold the workspace admin role"));
    }

    @Test
    void rule6_anOwnerServiceAccountAssignsOthersAndChangesRolesAndVisibility() {
        fixture.given(history())
                .when(new AssignProjectRoleCommand(WS, "models", IDLE_SA, VIEWER, OWNER_SA))
                .expectEvents(assigned("models", IDLE_SA, VIEWER, null));
        fixture.given(history())
                .when(new AssignProjectRoleCommand(WS, "models", CONTRIB_SA, OWNER, OWNER_SA))
                .expectEvents(assigned("models", CONTRIB_SA, OWNER, CONTRIBUTOR));
        fixture.given(history())
                .when(new UnassignProjectRoleCommand(WS, "models", VIEWER_SA, OWNER_SA))
                .expectEvents(new ProjectRoleRemovedEvent(WS, "models", VIEWER_SA, VIEWER,
                        ProjectRoleRemovalCause.UNASSIGNED));
        fixture.given(history())
                .when(new UpdateProjectCommand(WS, "models", null, PUBLIC, OWNER_SA))
                .expectEvents(new ProjectVisibilityChangedEvent(WS, "models", PUBLIC, WORKSPACE))
                .expectResultMessagePayload(new ProjectSummary("models", "Project models", PUBLIC));
    }

    @Test
    void rule7_aServiceAccountOfAnotherWorkspace_cannotBeAssigned() {
        fixture.given(history())
                .when(new AssignProjectRoleCommand(WS, "models", PrincipalRef.serviceAccount("sa-of-globex"),
                        VIEWER, ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "service-account-not-found"));
    }

    @Test
    void rule7_aPrincipalOfAnotherWorkspace_cannotActHere() {
        fixture.given(history())
                .when(new AssignProjectRoleCommand(WS, "models", IDLE_SA, OWNER, PrincipalRef.user("eve-of-globex")))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "inactive-principal"));
    }
}
