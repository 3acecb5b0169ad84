package dev.svcaccounts.command.workspace;

import dev.svcaccounts.command.member.AddMemberCommand;
import dev.svcaccounts.command.project.AssignProjectRoleCommand;
import dev.svcaccounts.command.project.CreateProjectCommand;
import dev.svcaccounts.command.token.IssueTokenCommand;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectDeletedEvent;
import dev.svcaccounts.events.ProjectRoleRemovalCause;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException;
import dev.svcaccounts.refusals.DomainRuleException.Kind;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.svcaccounts.command.workspace.History.*;
import static dev.svcaccounts.events.ProjectRole.OWNER;
import static dev.svcaccounts.events.ProjectRole.VIEWER;
import static dev.svcaccounts.events.ProjectVisibility.PRIVATE;

/**
 * The configurable bounds of a workspace: each refused with 409, its problem code and the limit, and each freed
 * again by removing what counts. Small limits here; the defaults are in {@link WorkspaceLimits#DEFAULTS}.
 */
class WorkspaceLimitsRulesTest {

    private static final WorkspaceLimits LIMITS = new WorkspaceLimits(2, 3, 4, 2);
    private static final PrincipalRef CAROL = PrincipalRef.user("carol");

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = fixture(LIMITS);
    }

    @Test
    void projectsBeyondTheLimit_areRefused_andADeletedOneMakesRoom() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(projectCreated("a", PRIVATE, MEMBER));
        events.add(projectCreated("b", PRIVATE, MEMBER));
        fixture.given(events)
                .when(new CreateProjectCommand(WS, "c", "Project c", PRIVATE, MEMBER))
                .expectNoEvents()
                .expectException(limitReached("project-limit-reached", 2));
        events.add(new ProjectDeletedEvent(WS, "b", "Project b"));
        fixture.given(events)
                .when(new CreateProjectCommand(WS, "c", "Project c", PRIVATE, MEMBER))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void membersBeyondTheLimit_areRefused_andARemovedOneMakesRoom() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(new UserAddedEvent(WS, "carol", WorkspaceRole.MEMBER));
        fixture.given(events)
                .when(new AddMemberCommand(WS, "dave", WorkspaceRole.MEMBER, token("d"), ADMIN))
                .expectNoEvents()
                .expectException(limitReached("member-limit-reached", 3));
        events.add(new MemberRemovedEvent(WS, "carol", WorkspaceRole.MEMBER));
        fixture.given(events)
                .when(new AddMemberCommand(WS, "dave", WorkspaceRole.MEMBER, token("d"), ADMIN))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void assignmentsBeyondTheLimit_areRefused_whetherByAssigningOrByCreatingAProject() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(new UserAddedEvent(WS, "carol", WorkspaceRole.MEMBER));
        events.add(projectCreated("a", PRIVATE, ADMIN));
        events.add(assigned("a", ADMIN, OWNER, null));
        events.add(assigned("a", MEMBER, VIEWER, null));
        events.add(projectCreated("b", PRIVATE, ADMIN));
        events.add(assigned("b", ADMIN, OWNER, null));
        events.add(assigned("b", MEMBER, VIEWER, null));
        fixture.given(events)
                .when(new AssignProjectRoleCommand(WS, "a", CAROL, VIEWER, ADMIN))
                .expectNoEvents()
                .expectException(limitReached("assignment-limit-reached", 4));
        fixture.given(events)
                .when(new AssignProjectRoleCommand(WS, "a", MEMBER, OWNER, ADMIN))
                .expectEvents(assigned("a", MEMBER, OWNER, VIEWER)); // a changed role adds nothing
        events.add(new ProjectRoleRemovedEvent(WS, "b", MEMBER, VIEWER, ProjectRoleRemovalCause.UNASSIGNED));
        events.add(new ProjectDeletedEvent(WS, "a", "Project a"));
        fixture.given(events)
                .when(new CreateProjectCommand(WS, "c", "Project c", PRIVATE, CAROL))
                .expectSuccessfulHandlerExecution(); // 1 project, 1 assignment left: room for both
    }

    @Test
    void creatingAProject_needsRoomForItsCreatorsAssignment() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(projectCreated("a", PRIVATE, ADMIN));
        for (String username : List.of("alice", "bob")) {
            events.add(assigned("a", PrincipalRef.user(username), OWNER, null));
        }
        events.add(new UserAddedEvent(WS, "carol", WorkspaceRole.MEMBER));
        events.add(assigned("a", CAROL, VIEWER, null));
        events.add(accountCreated("sa-1"));
        events.add(assigned("a", PrincipalRef.serviceAccount("sa-1"), VIEWER, null));
        fixture.given(events)
                .when(new CreateProjectCommand(WS, "b", "Project b", PRIVATE, MEMBER))
                .expectNoEvents()
                .expectException(limitReached("assignment-limit-reached", 4));
    }

    @Test
    void activeTokensBeyondTheLimit_areRefused_andRevokedOrExpiredOnesDoNotCount() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(issued(MEMBER, token("bob-1")));
        events.add(issued(MEMBER, token("bob-2")));
        fixture.given(events)
                .when(new IssueTokenCommand(WS, MEMBER, token("bob-3"), MEMBER))
                .expectNoEvents()
                .expectException(limitReached("token-limit-reached", 2));
        events.add(new TokenRevokedEvent(WS, "bob-1", MEMBER, TokenRevocationCause.REVOKED));
        events.add(issued(MEMBER, token("bob-expired", NOW.minus(Duration.ofSeconds(1)))));
        fixture.given(events)
                .when(new IssueTokenCommand(WS, MEMBER, token("bob-3"), MEMBER))
                .expectEvents(issued(MEMBER, token("bob-3")));
    }

    @Test
    void theDefaults_allowFiveActiveTokens() {
        FixtureConfiguration<Workspace> defaults = fixture();
        List<Object> events = workspaceWithAdminAndMember();
        for (int i = 1; i <= 5; i++) {
            events.add(issued(MEMBER, token("bob-" + i)));
        }
        defaults.given(events)
                .when(new IssueTokenCommand(WS, MEMBER, token("bob-6"), MEMBER))
                .expectNoEvents()
                .expectException(limitReached("token-limit-reached",
                        WorkspaceLimits.DEFAULTS.activeTokensPerPrincipal()));
    }

    /** 409 with this code, and the limit as the problem's {@code limit} member. */
    private static Matcher<DomainRuleException> limitReached(String code, int limit) {
        Matcher<DomainRuleException> refused = refused(Kind.CONFLICT, code);
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(DomainRuleException e) {
                return refused.matches(e) && Integer.valueOf(limit).equals(e.properties().get("limit"))
                        && e.getMessage().contains(String.valueOf(limit));
            }

            @Override
            public void describeTo(Description description) {
                description.appendDescriptionOf(refused).appendText(" with limit " + limit);
            }

            @Override
            protected void describeMismatchSafely(DomainRuleException e, Description description) {
                description.appendText("was " + e.kind() + " " + e.code() + " " + e.properties() + ": "
                        + e.getMessage());
            }
        };
    }
}
