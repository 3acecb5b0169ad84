package dev.svcaccounts.command.member;

import dev.svcaccounts.command.workspace.CreateWorkspaceCommand;
import dev.svcaccounts.command.workspace.Workspace;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.MemberRoleChangedEvent;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectRoleRemovalCause;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException.Kind;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.svcaccounts.command.workspace.History.*;

/** One test per rule on a workspace's users ({@link MemberRules}): adding, roles, the last admin, removal. */
class MemberRulesTest {

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = fixture();
    }

    private static List<Object> withBobsToken() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(issued(MEMBER, token("bob-1")));
        return events;
    }

    @Test
    void addingAMember_issuesItsFirstToken() {
        fixture.given(workspaceWithAdminAndMember())
                .when(new AddMemberCommand(WS, "carol", WorkspaceRole.MEMBER, token("carol-1"), ADMIN))
                .expectEvents(new UserAddedEvent(WS, "carol", WorkspaceRole.MEMBER),
                        issued(PrincipalRef.user("carol"), token("carol-1")));
    }

    @Test
    void addingAnExistingMember_isAConflict() {
        fixture.given(workspaceWithAdminAndMember())
                .when(new AddMemberCommand(WS, "bob", WorkspaceRole.ADMIN, token("b"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "member-exists"));
    }

    @Test
    void onlyAdmins_addMembers() {
        fixture.given(workspaceWithAdminAndMember())
                .when(new AddMemberCommand(WS, "carol", WorkspaceRole.MEMBER, token("c"), MEMBER))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "workspace-admin-required"));
    }

    @Test
    void changingARole_recordsBeforeAndAfter() {
        fixture.given(workspaceWithAdminAndMember())
                .when(new ChangeMemberRoleCommand(WS, "bob", WorkspaceRole.ADMIN, ADMIN))
                .expectEvents(new MemberRoleChangedEvent(WS, "bob", WorkspaceRole.ADMIN, WorkspaceRole.MEMBER))
                .expectResultMessagePayload(WorkspaceRole.ADMIN);
    }

    @Test
    void theLastAdmin_cannotBeDemoted() {
        fixture.given(workspaceWithAdminAndMember())
                .when(new ChangeMemberRoleCommand(WS, "alice", WorkspaceRole.MEMBER, ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "last-admin"));
    }

    @Test
    void theLastAdmin_cannotBeRemoved() {
        fixture.given(workspaceWithAdminAndMember())
                .when(new RemoveMemberCommand(WS, "alice", ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "last-admin"));
    }

    @Test
    void changingToTheRoleItHas_recordsNothing() {
        fixture.given(workspaceWithAdminAndMember())
                .when(new ChangeMemberRoleCommand(WS, "bob", WorkspaceRole.MEMBER, ADMIN))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(WorkspaceRole.MEMBER);
    }

    @Test
    void someoneWhoIsNotAMember_isNotFound() {
        fixture.given(workspaceWithAdminAndMember())
                .when(new ChangeMemberRoleCommand(WS, "carol", WorkspaceRole.ADMIN, ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "member-not-found"));
        fixture.given(workspaceWithAdminAndMember())
                .when(new RemoveMemberCommand(WS, "carol", ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "member-not-found"));
    }

    @Test
    void anAdmin_canStepDownWhenAnotherAdminRemains() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(new MemberRoleChangedEvent(WS, "bob", WorkspaceRole.ADMIN, WorkspaceRole.MEMBER));
        fixture.given(events)
                .when(new ChangeMemberRoleCommand(WS, "alice", WorkspaceRole.MEMBER, ADMIN))
                .expectEvents(new MemberRoleChangedEvent(WS, "alice", WorkspaceRole.MEMBER, WorkspaceRole.ADMIN));
    }

    @Test
    void anAdmin_canBeRemovedWhenAnotherAdminRemains() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(new MemberRoleChangedEvent(WS, "bob", WorkspaceRole.ADMIN, WorkspaceRole.MEMBER));
        fixture.given(events)
                .when(new RemoveMemberCommand(WS, "alice", MEMBER))
                .expectEvents(
                        new TokenRevokedEvent(WS, "admin-token", ADMIN, TokenRevocationCause.MEMBER_REMOVED),
                        new MemberRemovedEvent(WS, "alice", WorkspaceRole.ADMIN));
    }

    @Test
    void removingAMember_revokesItsTokensAndEndsItsProjectRoles() {
        List<Object> events = withBobsToken();
        events.add(projectCreated("models", ProjectVisibility.PRIVATE, ADMIN));
        events.add(assigned("models", ADMIN, ProjectRole.OWNER, null));
        events.add(assigned("models", MEMBER, ProjectRole.CONTRIBUTOR, null));
        fixture.given(events)
                .when(new RemoveMemberCommand(WS, "bob", ADMIN))
                .expectEvents(
                        new TokenRevokedEvent(WS, "bob-1", MEMBER, TokenRevocationCause.MEMBER_REMOVED),
                        new ProjectRoleRemovedEvent(WS, "models", MEMBER, ProjectRole.CONTRIBUTOR,
                                ProjectRoleRemovalCause.MEMBER_REMOVED),
                        new MemberRemovedEvent(WS, "bob", WorkspaceRole.MEMBER));
    }

    @Test
    void aRemovedMember_canBeAddedAgain() {
        List<Object> events = withBobsToken();
        events.add(new TokenRevokedEvent(WS, "bob-1", MEMBER, TokenRevocationCause.MEMBER_REMOVED));
        events.add(new MemberRemovedEvent(WS, "bob", WorkspaceRole.MEMBER));
        fixture.given(events)
                .when(new AddMemberCommand(WS, "bob", WorkspaceRole.MEMBER, token("bob-2"), ADMIN))
                .expectEvents(new UserAddedEvent(WS, "bob", WorkspaceRole.MEMBER), issued(MEMBER, token("bob-2")));
    }

    @Test
    void aUsernameEqualToAServiceAccountsId_isRefused() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(accountCreated("sa-1"));
        fixture.given(events)
                .when(new AddMemberCommand(WS, "sa-1", WorkspaceRole.MEMBER, token("m"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.INVALID, "username-is-a-service-account-id"));
    }

    @Test
    void theOperatorsName_isNeverAUsername() {
        fixture.given(workspaceWithAdminAndMember())
                .when(new AddMemberCommand(WS, "operator", WorkspaceRole.MEMBER, token("o"), ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.INVALID, "username-reserved"));
        fixture.givenNoPriorActivity()
                .when(new CreateWorkspaceCommand(WS, "Acme", "operator", token("o")))
                .expectNoEvents()
                .expectException(refused(Kind.INVALID, "username-reserved"));
    }
}
