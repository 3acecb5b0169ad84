package dev.svcaccounts.infra.audit;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.HandlerMapping;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalTargetTest {

    private static final String WS = "/v1/workspaces/acme";
    private static final String SA = "0b6c5a1e-3c1f-4c1e-9a59-1d3f7c2b8e41";

    @Test
    void serviceAccountPaths_targetTheAccount_andItsTokenPaths_theToken() {
        assertThat(target(WS + "/service-accounts/" + SA)).isEqualTo(new RefusalTarget("service_account", SA));
        assertThat(target(WS + "/service-accounts/" + SA + "/deactivate"))
                .isEqualTo(new RefusalTarget("service_account", SA));
        assertThat(target(WS + "/service-accounts/" + SA + "/tokens"))
                .isEqualTo(new RefusalTarget("service_account", SA));
        assertThat(target(WS + "/service-accounts/" + SA + "/tokens/tok-1"))
                .isEqualTo(new RefusalTarget("token", "tok-1"));
    }

    @Test
    void memberPaths_targetTheUser_andItsTokenPaths_theToken() {
        assertThat(target(WS + "/members/bob")).isEqualTo(new RefusalTarget("user", "bob"));
        assertThat(target(WS + "/members/bob/tokens")).isEqualTo(new RefusalTarget("user", "bob"));
        assertThat(target(WS + "/members/bob/tokens/tok-2")).isEqualTo(new RefusalTarget("token", "tok-2"));
    }

    @Test
    void projectPaths_targetTheProject_orTheAssigneeOfAnAssignment() {
        assertThat(target(WS + "/projects/churn")).isEqualTo(new RefusalTarget("project", "churn"));
        assertThat(target(WS + "/projects/churn/service-accounts")).isEqualTo(new RefusalTarget("project", "churn"));
        assertThat(target(WS + "/projects/churn/service-accounts/" + SA))
                .isEqualTo(new RefusalTarget("service_account", SA));
        assertThat(target(WS + "/projects/churn/members/bob")).isEqualTo(new RefusalTarget("user", "bob"));
    }

    @Test
    void collectionsAndAnythingElse_targetTheWorkspace() {
        RefusalTarget acme = new RefusalTarget("workspace", "acme");
        assertThat(target(WS)).isEqualTo(acme);
        assertThat(target(WS + "/service-accounts")).isEqualTo(acme);
        assertThat(target(WS + "/members")).isEqualTo(acme);
        assertThat(target(WS + "/projects")).isEqualTo(acme);
        assertThat(target(WS + "/audit")).isEqualTo(acme);
        assertThat(target(WS + "/something-new/x")).isEqualTo(acme);
        assertThat(target("/v1/introspect")).as("no workspace in the path: the caller's").isEqualTo(acme);
        assertThat(target("/v1/workspaces")).isEqualTo(acme);
        assertThat(target("/")).isEqualTo(acme);
    }

    @Test
    void idsAreDecoded() {
        assertThat(target(WS + "/members/j%C3%B6rg")).isEqualTo(new RefusalTarget("user", "jörg"));
    }

    @Test
    void anotherWorkspacesPath_targetsOnlyThatWorkspace() {
        assertThat(target("/v1/workspaces/other/service-accounts/" + SA))
                .isEqualTo(new RefusalTarget("workspace", "other"));
    }

    @Test
    void whatCannotBeAnId_fallsBackToTheWorkspace() {
        RefusalTarget acme = new RefusalTarget("workspace", "acme");
        assertThat(target(WS + "/projects/" + "k".repeat(65))).as("longer than a subject id").isEqualTo(acme);
        assertThat(target(WS + "/members/a%00b")).as("a NUL character").isEqualTo(acme);
        assertThat(target(WS + "/members/%E2%80%8Bbob")).as("a zero-width space").isEqualTo(acme);
        assertThat(target(WS + "/members/%zz")).as("malformed percent-encoding").isEqualTo(acme);
        assertThat(target(WS + "/members/%20")).as("blank").isEqualTo(acme);
        assertThat(target("/v1/workspaces/" + "w".repeat(65) + "/members/bob")).as("no workspace id at all")
                .isEqualTo(acme);
    }

    @Test
    void onceSpringMatchedTheRequest_theTargetIsWhatItMatched_notTheRawPath() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", WS + "/service-accounts/x%2Dy/tokens");
        request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE,
                "/v1/workspaces/{ws}/service-accounts/{id}/tokens");
        request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, Map.of("ws", "acme", "id", SA));
        assertThat(RefusalTarget.of(request, "acme")).isEqualTo(new RefusalTarget("service_account", SA));

        request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE,
                "/v1/workspaces/{ws}/projects/{key}/members/{username}");
        request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE,
                Map.of("ws", "acme", "key", "churn", "username", "bob"));
        assertThat(RefusalTarget.of(request, "acme")).isEqualTo(new RefusalTarget("user", "bob"));
    }

    @Test
    void beforeSpringMatchedIt_thePathAsSentIsRead() {
        MockHttpServletRequest request = new MockHttpServletRequest("DELETE", WS + "/members/bob/tokens/tok-9");
        assertThat(RefusalTarget.of(request, "acme")).isEqualTo(new RefusalTarget("token", "tok-9"));
    }

    private static RefusalTarget target(String path) {
        return RefusalTarget.of(path, "acme");
    }
}
