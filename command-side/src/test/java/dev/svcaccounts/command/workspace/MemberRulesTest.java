package dev.svcaccounts.command.workspace;

import dev.svcaccounts.command.member.AddMemberCommand;
import dev.svcaccounts.command.member.ChangeMemberRoleCommand;
import dev.svcaccounts.command.member.RemoveMemberCommand;
import dev.svcaccounts.command.token.IssueTokenCommand;
import dev.svcaccounts.command.token.RevokeTokenCommand;
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

/** Workspace members: adding, roles, removal and their own tokens. */
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
    void anAdmin_canStepDownWhenAnotherAdminRemains() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(new MemberRoleChangedEvent(WS, "bob", WorkspaceRole.ADMIN, WorkspaceRole.MEMBER));
        fixture.given(events)
                .when(new ChangeMemberRoleCommand(WS, "alice", WorkspaceRole.MEMBER, ADMIN))
                .expectEvents(new MemberRoleChangedEvent(WS, "alice", WorkspaceRole.MEMBER, WorkspaceRole.ADMIN));
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
    void aUser_issuesAndRevokesItsOwnTokens() {
        fixture.given(withBobsToken())
                .when(new IssueTokenCommand(WS, MEMBER, token("bob-2"), MEMBER))
                .expectEvents(issued(MEMBER, token("bob-2")));
        fixture.given(withBobsToken())
                .when(new RevokeTokenCommand(WS, MEMBER, "bob-1", MEMBER))
                .expectEvents(new TokenRevokedEvent(WS, "bob-1", MEMBER, TokenRevocationCause.REVOKED));
    }

    @Test
    void anAdmin_managesAUsersTokens() {
        fixture.given(withBobsToken())
                .when(new RevokeTokenCommand(WS, MEMBER, "bob-1", ADMIN))
                .expectEvents(new TokenRevokedEvent(WS, "bob-1", MEMBER, TokenRevocationCause.REVOKED));
    }

    @Test
    void aServiceAccount_isNeverTakenForAnAdmin_evenIfAnAdminsUsernameEqualsItsId() {
        List<Object> events = withBobsToken();
        events.add(accountCreated("same-id"));
        events.add(new UserAddedEvent(WS, "same-id", WorkspaceRole.ADMIN)); // as a history from before the guard below
        fixture.given(events)
                .when(new IssueTokenCommand(WS, MEMBER, token("x"), PrincipalRef.serviceAccount("same-id")))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-owner-or-admin-required"));
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
    void anotherMemberOrAServiceAccount_cannotManageAUsersTokens() {
        List<Object> events = withBobsToken();
        events.add(new UserAddedEvent(WS, "carol", WorkspaceRole.MEMBER));
        events.add(accountCreated("sa-1"));
        fixture.given(events)
                .when(new IssueTokenCommand(WS, MEMBER, token("x"), PrincipalRef.user("carol")))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-owner-or-admin-required"));
        fixture.given(events)
                .when(new RevokeTokenCommand(WS, MEMBER, "bob-1", PrincipalRef.serviceAccount("sa-1")))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "token-owner-or-admin-required"));
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
