package dev.svcaccounts.query.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.ProjectListing;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.WorkspaceRole;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MeViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void user_seesItsWorkspaceRole_andPerProjectRoleGrantsAndPermissions() {
        AuthenticatedPrincipal alice = new AuthenticatedPrincipal(PrincipalType.USER, "alice", "alice", "acme",
                WorkspaceRole.ADMIN, "tok-1");
        JsonNode json = JSON.valueToTree(MeView.of(alice, ProjectListing.complete(List.of(
                IntrospectionViewTest.project(PrincipalType.USER, WorkspaceRole.ADMIN, "ml", ProjectRole.VIEWER))),
                false));
        assertThat(json.path("type").asText()).isEqualTo("user");
        assertThat(json.path("workspace").asText()).isEqualTo("acme");
        assertThat(json.path("workspaceRole").asText()).isEqualTo("admin");
        assertThat(json.path("tokenId").asText()).isEqualTo("tok-1");
        JsonNode ml = json.path("projects").path(0);
        assertThat(ml.path("key").asText()).isEqualTo("ml");
        assertThat(ml.path("name").asText()).isEqualTo("ML");
        assertThat(ml.path("role").asText()).isEqualTo("owner");
        assertThat(ml.path("grants").toString()).isEqualTo(
                "[{\"source\":\"explicit\",\"role\":\"viewer\"},{\"source\":\"workspace-admin\",\"role\":\"owner\"}]");
        assertThat(ml.path("permissions").toString()).isEqualTo("[\"read\",\"write\",\"manage\"]");
        assertThat(json.path("implicitAccess").toString())
                .isEqualTo("{\"visibility\":\"contributor\",\"workspace-admin\":\"owner\"}");
        assertThat(json.has("projectsTruncated")).as("every grant listed").isFalse();
        assertThat(json.has("projectsTotal")).isFalse();
    }

    @Test
    void moreGrantsThanListed_areMarked_withTheirNumber() {
        AuthenticatedPrincipal bob = new AuthenticatedPrincipal(PrincipalType.USER, "bob", "bob", "acme",
                WorkspaceRole.MEMBER, "tok-3");
        JsonNode json = JSON.valueToTree(MeView.of(bob, new ProjectListing(List.of(
                IntrospectionViewTest.project(PrincipalType.USER, WorkspaceRole.MEMBER, "ml", ProjectRole.OWNER)),
                230), false));
        assertThat(json.path("projects").size()).isEqualTo(1);
        assertThat(json.path("projectsTruncated").asBoolean()).isTrue();
        assertThat(json.path("projectsTotal").asInt()).isEqualTo(230);
        assertThat(json.path("implicitAccess").toString()).isEqualTo("{\"visibility\":\"contributor\"}");
    }

    @Test
    void askedForOneProject_theAnswerIsAboutItAlone() {
        AuthenticatedPrincipal bob = new AuthenticatedPrincipal(PrincipalType.USER, "bob", "bob", "acme",
                WorkspaceRole.MEMBER, "tok-3");
        JsonNode json = JSON.valueToTree(MeView.of(bob, ProjectListing.EMPTY, true));
        assertThat(json.path("projects").toString()).isEqualTo("[]");
        assertThat(json.has("implicitAccess")).isFalse();
    }

    @Test
    void serviceAccount_hasNoWorkspaceRoleField() {
        AuthenticatedPrincipal sa =
                new AuthenticatedPrincipal(PrincipalType.SERVICE_ACCOUNT, "sa-1", "ci", "acme", null, "tok-2");
        JsonNode json = JSON.valueToTree(MeView.of(sa, ProjectListing.EMPTY, false));
        assertThat(json.path("type").asText()).isEqualTo("service_account");
        assertThat(json.has("workspaceRole")).isFalse();
        assertThat(json.has("implicitAccess")).as("a service account has none").isFalse();
        assertThat(json.path("projects").isArray()).isTrue();
    }

    @Test
    void operator_isJustItsName_withNoProjects() {
        AuthenticatedPrincipal operator =
                new AuthenticatedPrincipal(PrincipalType.OPERATOR, "operator", "operator", null, null, null);
        assertThat(JSON.valueToTree(MeView.of(operator, ProjectListing.EMPTY, false)).toString())
                .isEqualTo("{\"type\":\"operator\",\"id\":\"operator\",\"name\":\"operator\",\"projects\":[]}");
    }
}
