package dev.svcaccounts.command.workspace;

import dev.svcaccounts.command.token.NewToken;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectRoleAssignedEvent;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceCreatedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared givens of the Workspace aggregate's rule tests, in every feature's package: a workspace "acme" with alice
 * (admin) and bob (member), and how a refusal is asserted (its kind and problem code).
 */
public final class History {

    public static final String WS = "acme";
    public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    public static final PrincipalRef ADMIN = PrincipalRef.user("alice");
    public static final PrincipalRef MEMBER = PrincipalRef.user("bob");
    /** The service account of {@link #workspaceWithAccount()}. */
    public static final String SA = "sa-1";
    public static final PrincipalRef SA_REF = PrincipalRef.serviceAccount(SA);

    private History() {
    }

    public static FixtureConfiguration<Workspace> fixture() {
        return fixture(WorkspaceLimits.DEFAULTS);
    }

    public static FixtureConfiguration<Workspace> fixture(WorkspaceLimits limits) {
        FixtureConfiguration<Workspace> fixture = new AggregateTestFixture<>(Workspace.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        fixture.registerInjectableResource(limits);
        fixture.givenCurrentTime(NOW);
        return fixture;
    }

    public static NewToken token(String id) {
        return token(id, null);
    }

    public static NewToken token(String id, Instant expiresAt) {
        return new NewToken(id, "hash-" + id, "svcacct_..." + id, null, expiresAt);
    }

    public static TokenIssuedEvent issued(PrincipalRef owner, NewToken t) {
        return new TokenIssuedEvent(WS, t.tokenId(), owner, t.secretHash(), t.hint(), t.description(), t.expiresAt());
    }

    public static List<Object> workspaceWithAdminAndMember() {
        return new ArrayList<>(List.of(
                new WorkspaceCreatedEvent(WS, "Acme"),
                new UserAddedEvent(WS, "alice", WorkspaceRole.ADMIN),
                issued(ADMIN, token("admin-token")),
                new UserAddedEvent(WS, "bob", WorkspaceRole.MEMBER)));
    }

    /** The workspace of {@link #workspaceWithAdminAndMember()} with service account "ci-pipeline" and its token t1. */
    public static List<Object> workspaceWithAccount() {
        List<Object> events = workspaceWithAdminAndMember();
        events.add(new ServiceAccountCreatedEvent(WS, SA, "ci-pipeline", "CI"));
        events.add(issued(SA_REF, token("t1")));
        return events;
    }

    public static ServiceAccountCreatedEvent accountCreated(String id) {
        return new ServiceAccountCreatedEvent(WS, id, "account-" + id, null);
    }

    public static ProjectCreatedEvent projectCreated(String key, ProjectVisibility visibility, PrincipalRef creator) {
        return new ProjectCreatedEvent(WS, key, "Project " + key, visibility, creator);
    }

    public static ProjectRoleAssignedEvent assigned(String key, PrincipalRef assignee, ProjectRole role,
                                                    ProjectRole previous) {
        return new ProjectRoleAssignedEvent(WS, key, assignee, role, previous);
    }

    /** The command was refused with this kind and problem code. */
    public static Matcher<DomainRuleException> refused(DomainRuleException.Kind kind, String code) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(DomainRuleException e) {
                return e.kind() == kind && e.code().equals(code);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText(kind + " " + code);
            }

            @Override
            protected void describeMismatchSafely(DomainRuleException e, Description description) {
                description.appendText("was " + e.kind() + " " + e.code() + ": " + e.getMessage());
            }
        };
    }
}
