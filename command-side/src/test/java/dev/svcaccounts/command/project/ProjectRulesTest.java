package dev.svcaccounts.command.project;

import dev.svcaccounts.command.serviceaccount.DeactivateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.DeleteServiceAccountCommand;
import dev.svcaccounts.command.workspace.Workspace;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectDeletedEvent;
import dev.svcaccounts.events.ProjectRenamedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectRoleRemovalCause;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
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

/**
 * One test per rule on projects and assignments ({@link ProjectRules}): creation, changes, deletion, and what
 * happens to assignments when accounts change.
 */
class ProjectRulesTest {

    private static final PrincipalRef SA = PrincipalRef.serviceAccount("sa-1");

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = fixture();
    }

    private static List<Object> withAccountAssignedToModels() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(accountCreated("sa-1"));
        events.add(issued(SA, token("sa-token")));
        events.add(projectCreated("models", PRIVATE, ADMIN));
        events.add(assigned("models", ADMIN, OWNER, null));
        events.add(assigned("models", SA, CONTRIBUTOR, null));
        return events;
    }

    @Test
    void theCreator_becomesOwner_evenWhenAServiceAccount() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(accountCreated("sa-1"));
        fixture.given(events)
                .when(new CreateProjectCommand(WS, "models", "Project models", PRIVATE, SA))
                .expectEvents(projectCreated("models", PRIVATE, SA), assigned("models", SA, OWNER, null))
                .expectResultMessagePayload(new ProjectSummary("models", "Project models", PRIVATE));
    }

    @Test
    void aTakenProjectKey_isAConflict() {
        fixture.given(withAccountAssignedToModels())
                .when(new CreateProjectCommand(WS, "models", "Again", PRIVATE, MEMBER))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "project-exists"));
    }

    @Test
    void aDeactivatedAccount_cannotCreateProjects() {
        List<Object> events = withAccountAssignedToModels();
        events.add(new ServiceAccountDeactivatedEvent(WS, "sa-1", null));
        fixture.given(events)
                .when(new CreateProjectCommand(WS, "other", "Other", PRIVATE, SA))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "inactive-principal"));
    }

    @Test
    void renaming_recordsTheNameBeforeAndAfter() {
        fixture.given(withAccountAssignedToModels())
                .when(new UpdateProjectCommand(WS, "models", "Models v2", null, ADMIN))
                .expectEvents(new ProjectRenamedEvent(WS, "models", "Models v2", "Project models"))
                .expectResultMessagePayload(new ProjectSummary("models", "Models v2", PRIVATE));
    }

    @Test
    void anUpdateThatChangesNothing_recordsNothing_andAnswersTheProject() {
        fixture.given(withAccountAssignedToModels())
                .when(new UpdateProjectCommand(WS, "models", "Project models", PRIVATE, ADMIN))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new ProjectSummary("models", "Project models", PRIVATE));
    }

    @Test
    void deletingAProjectThatDoesNotExist_isNotFound() {
        fixture.given(withAccountAssignedToModels())
                .when(new DeleteProjectCommand(WS, "no-such-project", ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "project-not-found"));
    }

    @Test
    void assigningTheRoleItAlreadyHas_recordsNothing() {
        fixture.given(withAccountAssignedToModels())
                .when(new AssignProjectRoleCommand(WS, "models", SA, CONTRIBUTOR, ADMIN))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new AssignmentResult("models", SA, CONTRIBUTOR, CONTRIBUTOR));
    }

    @Test
    void unassigningSomeoneNotAssigned_isNotFound() {
        fixture.given(withAccountAssignedToModels())
                .when(new UnassignProjectRoleCommand(WS, "models", MEMBER, ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "assignment-not-found"));
    }

    @Test
    void onlyMembersOfTheWorkspace_canBeAssigned() {
        fixture.given(withAccountAssignedToModels())
                .when(new AssignProjectRoleCommand(WS, "models", PrincipalRef.user("stranger"), VIEWER, ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "member-not-found"));
    }

    @Test
    void deactivating_keepsTheAssignments_andTheAccountMayStillBeAssigned() {
        fixture.given(withAccountAssignedToModels())
                .when(new DeactivateServiceAccountCommand(WS, "sa-1", null, ADMIN))
                .expectEvents(new ServiceAccountDeactivatedEvent(WS, "sa-1", null),
                        new TokenRevokedEvent(WS, "sa-token", SA, TokenRevocationCause.ACCOUNT_DEACTIVATED));
        List<Object> deactivated = withAccountAssignedToModels();
        deactivated.add(new ServiceAccountDeactivatedEvent(WS, "sa-1", null));
        fixture.given(deactivated)
                .when(new AssignProjectRoleCommand(WS, "models", SA, VIEWER, ADMIN))
                .expectEvents(assigned("models", SA, VIEWER, CONTRIBUTOR));
    }

    @Test
    void aDeactivatedOwner_managesNothing() {
        List<Object> events = withAccountAssignedToModels();
        events.add(assigned("models", SA, OWNER, CONTRIBUTOR));
        events.add(new ServiceAccountDeactivatedEvent(WS, "sa-1", null));
        fixture.given(events)
                .when(new UpdateProjectCommand(WS, "models", "renamed", null, SA))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "inactive-principal"));
    }

    @Test
    void deletingAnAccount_endsItsAssignments() {
        fixture.given(withAccountAssignedToModels())
                .when(new DeleteServiceAccountCommand(WS, "sa-1", ADMIN))
                .expectEvents(
                        new TokenRevokedEvent(WS, "sa-token", SA, TokenRevocationCause.ACCOUNT_DELETED),
                        new ProjectRoleRemovedEvent(WS, "models", SA, CONTRIBUTOR,
                                ProjectRoleRemovalCause.ACCOUNT_DELETED),
                        new ServiceAccountDeletedEvent(WS, "sa-1", "account-sa-1"));
    }

    @Test
    void aDeletedAccount_cannotBeAssigned() {
        List<Object> events = withAccountAssignedToModels();
        events.add(new ProjectRoleRemovedEvent(WS, "models", SA, CONTRIBUTOR, ProjectRoleRemovalCause.ACCOUNT_DELETED));
        events.add(new ServiceAccountDeletedEvent(WS, "sa-1", "account-sa-1"));
        fixture.given(events)
                .when(new AssignProjectRoleCommand(WS, "models", SA, VIEWER, ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "service-account-not-found"));
    }

    private static ProjectRoleRemovedEvent removedWithTheProject(PrincipalRef assignee, ProjectRole role) {
        return new ProjectRoleRemovedEvent(WS, "models", assignee, role, ProjectRoleRemovalCause.PROJECT_DELETED);
    }

    @Test
    void deletingAProject_endsEachAssignmentOnItsOwnRecord_beforeTheProjectGoes() {
        List<Object> events = withAccountAssignedToModels();
        events.add(assigned("models", MEMBER, VIEWER, null));
        events.add(new ServiceAccountDeactivatedEvent(WS, "sa-1", null)); // a kept assignment ends all the same
        fixture.given(events)
                .when(new DeleteProjectCommand(WS, "models", ADMIN))
                .expectEvents(
                        removedWithTheProject(ADMIN, OWNER),
                        removedWithTheProject(MEMBER, VIEWER),
                        removedWithTheProject(SA, CONTRIBUTOR),
                        new ProjectDeletedEvent(WS, "models", "Project models"));
    }

    @Test
    void aProjectCreatedAgainWithTheSameKey_startsWithOnlyItsCreator_evenAfterAnOldStyleDeletion() {
        // a history from before deletions recorded the removals: the deletion alone ended the assignments
        List<Object> events = withAccountAssignedToModels();
        events.add(new ProjectDeletedEvent(WS, "models", "Project models"));
        fixture.given(events)
                .when(new CreateProjectCommand(WS, "models", "Project models", PRIVATE, MEMBER))
                .expectEvents(projectCreated("models", PRIVATE, MEMBER), assigned("models", MEMBER, OWNER, null));
        events.add(projectCreated("models", PRIVATE, MEMBER));
        events.add(assigned("models", MEMBER, OWNER, null));
        fixture.given(events)
                .when(new AssignProjectRoleCommand(WS, "models", SA, VIEWER, ADMIN))
                .expectEvents(assigned("models", SA, VIEWER, null));
        fixture.given(events)
                .when(new DeleteProjectCommand(WS, "models", ADMIN))
                .expectEvents(
                        removedWithTheProject(MEMBER, OWNER),
                        new ProjectDeletedEvent(WS, "models", "Project models"));
    }
}
