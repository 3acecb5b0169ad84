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

/** Shared givens of the Workspace aggregate's rule tests: a workspace "acme" with alice (admin) and bob (member). */
final class History {

    static final String WS = "acme";
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final PrincipalRef ADMIN = PrincipalRef.user("alice");
    static final PrincipalRef MEMBER = PrincipalRef.user("bob");

    private History() {
    }

    static FixtureConfiguration<Workspace> fixture() {
        return fixture(WorkspaceLimits.DEFAULTS);
    }

    static FixtureConfiguration<Workspace> fixture(WorkspaceLimits limits) {
        FixtureConfiguration<Workspace> fixture = new AggregateTestFixture<>(Workspace.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        fixture.registerInjectableResource(limits);
        fixture.givenCurrentTime(NOW);
        return fixture;
    }

    static NewToken token(String id) {
        return token(id, null);
    }

    static NewToken token(String id, Instant expiresAt) {
        return new NewToken(id, "hash-" + id, "svcacct_..." + id, null, expiresAt);
    }

    static TokenIssuedEvent issued(PrincipalRef owner, NewToken t) {
        return new TokenIssuedEvent(WS, t.tokenId(), owner, t.secretHash(), t.hint(), t.description(), t.expiresAt());
    }

    static List<Object> workspaceWithAdminAndMember() {
        return new ArrayList<>(List.of(
                new WorkspaceCreatedEvent(WS, "Acme"),
                new UserAddedEvent(WS, "alice", WorkspaceRole.ADMIN),
                issued(ADMIN, token("admin-token")),
                new UserAddedEvent(WS, "bob", WorkspaceRole.MEMBER)));
    }

    static ServiceAccountCreatedEvent accountCreated(String id) {
        return new ServiceAccountCreatedEvent(WS, id, "account-" + id, null);
    }

    static ProjectCreatedEvent projectCreated(String key, ProjectVisibility visibility, PrincipalRef creator) {
        return new ProjectCreatedEvent(WS, key, "Project " + key, visibility, creator);
    }

    static ProjectRoleAssignedEvent assigned(String key, PrincipalRef assignee, ProjectRole role, ProjectRole previous) {
        return new ProjectRoleAssignedEvent(WS, key, assignee, role, previous);
    }

    /** The command was refused with this kind and problem code. */
    static Matcher<DomainRuleException> refused(DomainRuleException.Kind kind, String code) {
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
