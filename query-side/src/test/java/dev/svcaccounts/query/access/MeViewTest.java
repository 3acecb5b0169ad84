package dev.svcaccounts.query.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
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
        JsonNode json = JSON.valueToTree(MeView.of(alice, List.of(
                IntrospectionViewTest.project(PrincipalType.USER, WorkspaceRole.ADMIN, "ml", ProjectRole.VIEWER))));
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
    }

    @Test
    void serviceAccount_hasNoWorkspaceRoleField() {
        AuthenticatedPrincipal sa =
                new AuthenticatedPrincipal(PrincipalType.SERVICE_ACCOUNT, "sa-1", "ci", "acme", null, "tok-2");
        JsonNode json = JSON.valueToTree(MeView.of(sa, List.of()));
        assertThat(json.path("type").asText()).isEqualTo("service_account");
        assertThat(json.has("workspaceRole")).isFalse();
        assertThat(json.path("projects").isArray()).isTrue();
    }

    @Test
    void operator_isJustItsName_withNoProjects() {
        AuthenticatedPrincipal operator =
                new AuthenticatedPrincipal(PrincipalType.OPERATOR, "operator", "operator", null, null, null);
        assertThat(JSON.valueToTree(MeView.of(operator, List.of())).toString())
                .isEqualTo("{\"type\":\"operator\",\"id\":\"operator\",\"name\":\"operator\",\"projects\":[]}");
    }
}
