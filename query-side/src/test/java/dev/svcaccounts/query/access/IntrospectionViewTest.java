package dev.svcaccounts.query.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.credentials.ActiveToken;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.ProjectAccessStore.ProjectAccessView;
import dev.svcaccounts.credentials.ProjectListing;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectAccess;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.WorkspaceRole;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class IntrospectionViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant EXPIRES = Instant.parse("2026-02-01T00:00:00Z");

    @Test
    void inactiveToken_saysNothingBut_activeFalse() {
        assertThat(JSON.valueToTree(IntrospectionView.INACTIVE).toString()).isEqualTo("{\"active\":false}");
    }

    @Test
    void serviceAccountToken_hasItsRolesAndSortedScopes_inSnakeCase() {
        AuthenticatedPrincipal sa =
                new AuthenticatedPrincipal(PrincipalType.SERVICE_ACCOUNT, "sa-1", "ci", "acme", null, "tok-1");
        JsonNode json = JSON.valueToTree(IntrospectionView.of(new ActiveToken(sa, ISSUED, null),
                ProjectListing.complete(List.of(project(PrincipalType.SERVICE_ACCOUNT, null, "web", ProjectRole.VIEWER),
                        project(PrincipalType.SERVICE_ACCOUNT, null, "ml", ProjectRole.OWNER))), false));

        assertThat(json.path("active").asBoolean()).isTrue();
        assertThat(json.path("sub").asText()).isEqualTo("sa-1");
        assertThat(json.path("principal_type").asText()).isEqualTo("service_account");
        assertThat(json.path("name").asText()).isEqualTo("ci");
        assertThat(json.path("workspace").asText()).isEqualTo("acme");
        assertThat(json.path("token_id").asText()).isEqualTo("tok-1");
        assertThat(json.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(json.path("iat").asLong()).isEqualTo(ISSUED.getEpochSecond());
        assertThat(json.has("exp")).as("no expiry, no exp").isFalse();
        assertThat(json.has("username")).isFalse();
        assertThat(json.has("workspace_role")).isFalse();
        assertThat(json.path("projects").toString()).isEqualTo("{\"web\":\"viewer\",\"ml\":\"owner\"}");
        assertThat(json.path("scope").asText()).isEqualTo("ml:manage ml:read ml:write web:read");
        assertThat(json.has("implicit_access")).as("a service account has none").isFalse();
        assertThat(json.has("projects_truncated")).as("every grant listed").isFalse();
        assertThat(json.has("projects_total")).isFalse();
    }

    @Test
    void moreGrantsThanListed_areMarked_withTheirNumber_andOnlyTheListedOnesAreInScope() {
        AuthenticatedPrincipal sa =
                new AuthenticatedPrincipal(PrincipalType.SERVICE_ACCOUNT, "sa-1", "ci", "acme", null, "tok-1");
        JsonNode json = JSON.valueToTree(IntrospectionView.of(new ActiveToken(sa, ISSUED, null), new ProjectListing(
                List.of(project(PrincipalType.SERVICE_ACCOUNT, null, "ml", ProjectRole.VIEWER)), 340), false));
        assertThat(json.path("projects").toString()).isEqualTo("{\"ml\":\"viewer\"}");
        assertThat(json.path("projects_truncated").asBoolean()).isTrue();
        assertThat(json.path("projects_total").asInt()).isEqualTo(340);
        assertThat(json.path("scope").asText()).isEqualTo("ml:read");
    }

    @Test
    void implicitAccess_isOneEntryPerSource_andOneScopePerPermission_underSelectorsNoKeyCanBe() {
        AuthenticatedPrincipal admin =
                new AuthenticatedPrincipal(PrincipalType.USER, "ann", "ann", "acme", WorkspaceRole.ADMIN, "tok-3");
        JsonNode json = JSON.valueToTree(IntrospectionView.of(new ActiveToken(admin, ISSUED, null),
                ProjectListing.complete(List.of(project(PrincipalType.USER, WorkspaceRole.ADMIN, "ml",
                        ProjectRole.VIEWER))), false));
        assertThat(json.path("projects").toString()).as("the effective role").isEqualTo("{\"ml\":\"owner\"}");
        assertThat(json.path("implicit_access").toString())
                .isEqualTo("{\"visibility\":\"contributor\",\"workspace-admin\":\"owner\"}");
        assertThat(json.path("scope").asText()).isEqualTo(
                "*:manage *:read *:write *visible:read *visible:write ml:manage ml:read ml:write");
        for (String selector : List.of(IntrospectionView.EVERY_PROJECT, IntrospectionView.WORKSPACE_VISIBLE_PROJECTS)) {
            assertThat(selector).as("never a project key").doesNotMatch("[a-z0-9].*");
        }
    }

    @Test
    void askedForOneProject_theAnswerIsAboutItAlone_withoutTheImplicitSummary() {
        AuthenticatedPrincipal bob =
                new AuthenticatedPrincipal(PrincipalType.USER, "bob", "bob", "acme", WorkspaceRole.MEMBER, "tok-2");
        JsonNode json = JSON.valueToTree(IntrospectionView.of(new ActiveToken(bob, ISSUED, null),
                ProjectListing.complete(List.of(project(PrincipalType.USER, WorkspaceRole.MEMBER, "ml", null))), true));
        assertThat(json.path("projects").toString()).isEqualTo("{\"ml\":\"contributor\"}");
        assertThat(json.path("scope").asText()).isEqualTo("ml:read ml:write");
        assertThat(json.has("implicit_access")).isFalse();

        JsonNode none = JSON.valueToTree(IntrospectionView.of(new ActiveToken(bob, ISSUED, null), ProjectListing.EMPTY,
                true));
        assertThat(none.path("active").asBoolean()).as("still the token's answer").isTrue();
        assertThat(none.path("projects").toString()).isEqualTo("{}");
        assertThat(none.has("scope")).isFalse();
    }

    @Test
    void userToken_namesTheUserAndItsWorkspaceRole() {
        AuthenticatedPrincipal bob =
                new AuthenticatedPrincipal(PrincipalType.USER, "bob", "bob", "acme", WorkspaceRole.MEMBER, "tok-2");
        JsonNode json = JSON.valueToTree(IntrospectionView.of(new ActiveToken(bob, ISSUED, EXPIRES), ProjectListing
                .complete(List.of(project(PrincipalType.USER, WorkspaceRole.MEMBER, "ml", null))), false));
        assertThat(json.path("principal_type").asText()).isEqualTo("user");
        assertThat(json.path("username").asText()).isEqualTo("bob");
        assertThat(json.path("workspace_role").asText()).isEqualTo("member");
        assertThat(json.path("exp").asLong()).isEqualTo(EXPIRES.getEpochSecond());
        assertThat(json.path("projects").path("ml").asText()).isEqualTo("contributor");
        assertThat(json.path("scope").asText()).isEqualTo("*visible:read *visible:write ml:read ml:write");
        assertThat(json.path("implicit_access").toString()).isEqualTo("{\"visibility\":\"contributor\"}");
    }

    @Test
    void withoutAnyProject_projectsIsEmpty_andScopeLeftOut() {
        AuthenticatedPrincipal sa =
                new AuthenticatedPrincipal(PrincipalType.SERVICE_ACCOUNT, "sa-1", "ci", "acme", null, "tok-1");
        JsonNode json = JSON.valueToTree(IntrospectionView.of(new ActiveToken(sa, ISSUED, null), ProjectListing.EMPTY,
                false));
        assertThat(json.path("projects").isObject()).isTrue();
        assertThat(json.path("projects").size()).isZero();
        assertThat(json.has("scope")).isFalse();
    }

    /** A project with the access {@link ProjectAccess#resolve} gives; private unless no explicit role is given. */
    static ProjectAccessView project(PrincipalType type, WorkspaceRole workspaceRole, String key,
                                     ProjectRole explicit) {
        ProjectVisibility visibility = explicit == null ? ProjectVisibility.WORKSPACE : ProjectVisibility.PRIVATE;
        Optional<ProjectAccess> access = ProjectAccess.resolve(type, workspaceRole, true, visibility, explicit);
        return new ProjectAccessView(key, key.toUpperCase(), visibility, access);
    }
}
