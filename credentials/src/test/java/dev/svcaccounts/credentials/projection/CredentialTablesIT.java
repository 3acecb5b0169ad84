package dev.svcaccounts.credentials.projection;

import dev.svcaccounts.credentials.ActiveToken;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.CredentialStore;
import dev.svcaccounts.credentials.FormerTokens;
import dev.svcaccounts.credentials.Principals;
import dev.svcaccounts.credentials.ProjectAccessStore;
import dev.svcaccounts.credentials.ProjectAccessStore.ProjectAccessView;
import dev.svcaccounts.credentials.ProjectListing;
import dev.svcaccounts.credentials.testing.CommandSideDatabase;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectPermission;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectRoleAssignedEvent;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What the projections write, the lookups read: events applied to the credential tables by {@link CredentialProjection}
 * and {@link ProjectAccessProjection} (on the command side's migrations, real PostgreSQL), then a token, its
 * principal and its access read back through {@link CredentialStore}, {@link ProjectAccessStore}, {@link Principals}
 * and {@link FormerTokens}. Each test uses a workspace of its own.
 */
class CredentialTablesIT {

    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(AT.plusSeconds(60), ZoneOffset.UTC);

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;
    private static CredentialProjection credentials;
    private static ProjectAccessProjection projectAccess;
    private static CredentialStore store;
    private static ProjectAccessStore accessStore;
    private static Principals principals;
    private static FormerTokens formerTokens;

    @BeforeAll
    static void database() throws IOException {
        postgres = CommandSideDatabase.start();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
        credentials = new CredentialProjection(jdbc);
        projectAccess = new ProjectAccessProjection(jdbc);
        store = new CredentialStore(jdbc, CLOCK, secret -> false);
        accessStore = new ProjectAccessStore(jdbc);
        principals = new Principals(jdbc);
        formerTokens = new FormerTokens(jdbc, CLOCK);
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void anIssuedToken_authenticatesItsPrincipal_untilItIsRevoked() {
        String ws = workspace();
        credentials.on(new ServiceAccountCreatedEvent(ws, "sa-1", "deployer", null));
        String secret = issue(ws, "t-1", PrincipalRef.serviceAccount("sa-1"));

        AuthenticatedPrincipal principal = store.authenticate(secret).orElseThrow();
        assertThat(principal).isEqualTo(new AuthenticatedPrincipal(PrincipalType.SERVICE_ACCOUNT, "sa-1", "deployer",
                ws, null, "t-1"));
        assertThat(store.lookupById("t-1")).map(token -> token.principal()).contains(principal);
        assertThat(formerTokens.refused(secret)).as("working").isEmpty();

        credentials.on(new TokenRevokedEvent(ws, "t-1", PrincipalRef.serviceAccount("sa-1"),
                TokenRevocationCause.REVOKED), AT);

        assertThat(store.authenticate(secret)).isEmpty();
        assertThat(store.lookupById("t-1")).isEmpty();
        assertThat(formerTokens.refused(secret)).map(FormerTokens.RefusedToken::rule).contains("token-revoked");
    }

    @Test
    void aTokensInstants_areReadToTheMicrosecond_andItWorksUntilTheMicrosecondItExpires() {
        String ws = workspace();
        credentials.on(new ServiceAccountCreatedEvent(ws, "sa-1", "deployer", null));
        Instant issuedAt = AT.plusNanos(123_456_000);
        Instant expiresAt = CLOCK.instant().plusNanos(1_000);
        String working = TokenSecret.generateFor(PrincipalType.SERVICE_ACCOUNT);
        credentials.on(new TokenIssuedEvent(ws, "t-micros", PrincipalRef.serviceAccount("sa-1"),
                TokenSecret.hash(working), TokenSecret.hint(working), null, expiresAt, null, null), issuedAt);
        String expired = TokenSecret.generateFor(PrincipalType.SERVICE_ACCOUNT);
        credentials.on(new TokenIssuedEvent(ws, "t-expired", PrincipalRef.serviceAccount("sa-1"),
                TokenSecret.hash(expired), TokenSecret.hint(expired), null, CLOCK.instant(), null, null), issuedAt);
        String before1970 = issue(ws, "t-no-expiry", PrincipalRef.serviceAccount("sa-1"));
        jdbc.update("UPDATE command_side.auth_token SET issued_at = '1969-12-31 23:59:59.999999+00'"
                + " WHERE token_id = 't-no-expiry'");

        assertThat(store.lookup(working).orElseThrow())
                .returns(issuedAt, ActiveToken::issuedAt).returns(expiresAt, ActiveToken::expiresAt);
        assertThat(store.lookupWithAccess(working).orElseThrow().token())
                .returns(issuedAt, ActiveToken::issuedAt).returns(expiresAt, ActiveToken::expiresAt);
        assertThat(store.lookup(expired)).as("expires at the clock's instant").isEmpty();
        assertThat(store.lookupWithAccess(expired)).isEmpty();
        assertThat(store.lookup(before1970).orElseThrow())
                .returns(Instant.parse("1969-12-31T23:59:59.999999Z"), ActiveToken::issuedAt)
                .returns(null, ActiveToken::expiresAt);
    }

    @Test
    void aDeactivatedAccount_isKnownButInactive_andItsTokensAreRefusedForIt() {
        String ws = workspace();
        credentials.on(new ServiceAccountCreatedEvent(ws, "sa-1", "deployer", null));
        String secret = issue(ws, "t-2", PrincipalRef.serviceAccount("sa-1"));
        assertThat(principals.isActive(ws, PrincipalType.SERVICE_ACCOUNT, "sa-1")).isTrue();

        credentials.on(new ServiceAccountDeactivatedEvent(ws, "sa-1", "leaked"), AT);

        assertThat(store.authenticate(secret)).isEmpty();
        assertThat(formerTokens.refused(secret)).map(FormerTokens.RefusedToken::rule).contains("account-deactivated");
        assertThat(principals.isActive(ws, PrincipalType.SERVICE_ACCOUNT, "sa-1")).isFalse();
        assertThat(principals.everExisted(ws, PrincipalType.SERVICE_ACCOUNT, "sa-1")).isTrue();
        assertThat(principals.everExisted(ws, PrincipalType.SERVICE_ACCOUNT, "sa-2")).isFalse();
        assertThat(principals.everExisted(ws, PrincipalType.USER, "sa-1")).as("another type").isFalse();
    }

    @Test
    void aServiceAccount_seesOnlyItsAssignedProjects_andAUserEveryProject() {
        String ws = workspace();
        credentials.on(new ServiceAccountCreatedEvent(ws, "sa-1", "deployer", null));
        credentials.on(new UserAddedEvent(ws, "bob", WorkspaceRole.MEMBER));
        String accountSecret = issue(ws, "t-3", PrincipalRef.serviceAccount("sa-1"));
        String userSecret = issue(ws, "t-4", PrincipalRef.user("bob"));
        for (String key : List.of("api", "web")) {
            projectAccess.on(new ProjectCreatedEvent(ws, key, key.toUpperCase(), ProjectVisibility.PRIVATE,
                    PrincipalRef.user("alice")));
        }
        projectAccess.on(new ProjectRoleAssignedEvent(ws, "web", PrincipalRef.serviceAccount("sa-1"),
                ProjectRole.VIEWER, null));
        AuthenticatedPrincipal account = store.authenticate(accountSecret).orElseThrow();
        AuthenticatedPrincipal user = store.authenticate(userSecret).orElseThrow();

        assertThat(keys(accessStore.visibleProjects(account))).containsExactly("web");
        assertThat(keys(accessStore.visibleProjects(user))).containsExactly("api", "web");
        assertThat(accessStore.explicitGrants(user)).as("private, unassigned").isEqualTo(ProjectListing.EMPTY);
        assertThat(accessStore.accessibleProject(user, "api")).as("seen, no access").isEqualTo(ProjectListing.EMPTY);
        assertThat(store.lookupWithAccess(accountSecret).orElseThrow().projects())
                .as("introspection's single statement").isEqualTo(accessStore.explicitGrants(account));
        assertThat(keys(store.lookupWithAccess(accountSecret).orElseThrow().projects().listed()))
                .containsExactly("web");

        assertThat(accessStore.require(account, ws, "web", ProjectPermission.READ).name()).isEqualTo("WEB");
        assertThat(refusal(() -> accessStore.require(account, ws, "web", ProjectPermission.WRITE)).code())
                .isEqualTo("project-write-required");
        assertThat(refusal(() -> accessStore.require(account, ws, "api", ProjectPermission.READ)).code())
                .as("not assigned: not found, for a service account").isEqualTo("project-not-found");
        assertThat(refusal(() -> accessStore.require(user, ws, "api", ProjectPermission.READ)).code())
                .as("a user sees it, without the permission").isEqualTo("project-read-required");
        assertThat(refusal(() -> accessStore.require(account, "other", "web", ProjectPermission.READ)).code())
                .isEqualTo("workspace-not-found");
    }

    @Test
    void explicitGrants_areListedUpToTheCap_withTheirTotal_andImplicitAccessIsNeverListed() {
        String ws = workspace();
        credentials.on(new ServiceAccountCreatedEvent(ws, "sa-1", "deployer", null));
        credentials.on(new UserAddedEvent(ws, "bob", WorkspaceRole.ADMIN));
        String accountSecret = issue(ws, "t-5", PrincipalRef.serviceAccount("sa-1"));
        String userSecret = issue(ws, "t-6", PrincipalRef.user("bob"));
        int assigned = ProjectListing.MAX_LISTED + 5;
        for (int i = 0; i < assigned + 20; i++) {
            String key = String.format("p%03d", i);
            projectAccess.on(new ProjectCreatedEvent(ws, key, key, ProjectVisibility.WORKSPACE,
                    PrincipalRef.user("alice")));
            if (i < assigned) {
                projectAccess.on(new ProjectRoleAssignedEvent(ws, key, PrincipalRef.serviceAccount("sa-1"),
                        ProjectRole.VIEWER, null));
            }
        }
        projectAccess.on(new ProjectRoleAssignedEvent(ws, "p007", PrincipalRef.user("bob"), ProjectRole.VIEWER,
                null));
        AuthenticatedPrincipal account = store.authenticate(accountSecret).orElseThrow();

        ProjectListing grants = store.lookupWithAccess(accountSecret).orElseThrow().projects();
        assertThat(grants.listed()).hasSize(ProjectListing.MAX_LISTED);
        assertThat(grants.total()).isEqualTo(assigned);
        assertThat(grants.truncated()).isTrue();
        assertThat(grants.listed().get(0).key()).as("by key").isEqualTo("p000");
        assertThat(accessStore.explicitGrants(account)).isEqualTo(grants);

        ProjectListing admin = store.lookupWithAccess(userSecret).orElseThrow().projects();
        assertThat(keys(admin.listed())).as("its one assignment, not the 125 projects it owns as admin")
                .containsExactly("p007");
        assertThat(admin.listed().get(0).access().orElseThrow().role()).as("effective").isEqualTo(ProjectRole.OWNER);
        assertThat(admin.truncated()).isFalse();

        ProjectListing one = store.lookupWithAccess(userSecret, "p120").orElseThrow().projects();
        assertThat(keys(one.listed())).as("implicit access, asked for").containsExactly("p120");
        assertThat(store.lookupWithAccess(accountSecret, "p120").orElseThrow().projects())
                .as("not assigned").isEqualTo(ProjectListing.EMPTY);
        assertThat(store.lookupWithAccess(accountSecret, "nope").orElseThrow().projects())
                .as("no such project: the same answer").isEqualTo(ProjectListing.EMPTY);
        assertThat(store.lookupWithAccess(accountSecret, "p001").orElseThrow().projects())
                .isEqualTo(accessStore.accessibleProject(account, "p001"));
    }

    private static String workspace() {
        return "ws-" + UUID.randomUUID();
    }

    private static String issue(String ws, String tokenId, PrincipalRef owner) {
        String secret = TokenSecret.generateFor(owner.type());
        credentials.on(new TokenIssuedEvent(ws, tokenId, owner, TokenSecret.hash(secret), TokenSecret.hint(secret),
                null, null), AT);
        return secret;
    }

    private static List<String> keys(List<ProjectAccessView> projects) {
        return projects.stream().map(ProjectAccessView::key).toList();
    }

    private static DomainRuleException refusal(Runnable check) {
        return catchThrowableOfType(DomainRuleException.class, check::run);
    }
}
