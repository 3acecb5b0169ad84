package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.NodeProcess;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stock Spring Boot resource server (the {@code interop-resource-server} module: Spring Boot's auto-configuration
 * and Spring Security's own opaque-token introspector, nothing of ours) runs as a process, configured only by the
 * standard properties {@code spring.security.oauth2.resourceserver.opaquetoken.introspection-uri}, {@code client-id}
 * and {@code client-secret} (client_secret_basic), against the query side. A live token gets in with authorities
 * from its {@code scope}; a revoked token is refused on the very next call; so is every token once the client is
 * revoked (one test: the resource server is started once, with one client).
 */
class ResourceServerIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("resource-server");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Api api;
    private static Workspaces workspaces;
    private static NodeProcess resourceServer;
    private static String clientId;

    @BeforeAll
    static void startTheResourceServer() throws Exception {
        api = system.api();
        workspaces = new Workspaces(api);
        JsonNode client = api.registerIntrospectionClient("spring-resource-server");
        clientId = client.path("client_id").asText();
        String prefix = "SPRING_SECURITY_OAUTH2_RESOURCESERVER_OPAQUETOKEN_";
        resourceServer = NodeProcess.start("resource-server", NodeProcess.Kind.RESOURCE_SERVER,
                Path.of("target", "resource-server-it"), Map.of(
                        prefix + "INTROSPECTIONURI", system.queryUrl() + "/v1/introspect",
                        prefix + "CLIENTID", clientId,
                        prefix + "CLIENTSECRET", client.path("client_secret").asText()));
        // Spring Security guards every path, health included: it is up when it refuses a request without a token
        Eventually.untilAsserted(Duration.ofSeconds(90), () -> {
            assertThat(resourceServer.isAlive()).as(resourceServer.logTail(40)).isTrue();
            assertThat(statusWithoutToken()).isEqualTo(401);
        });
    }

    @AfterAll
    static void stop() {
        if (resourceServer != null) {
            resourceServer.close();
        }
    }

    @Test
    void aLiveToken_getsIn_withItsScopeAsAuthorities_andARevokedOneIsRefusedOnTheVeryNextCall() throws Exception {
        Principal admin = workspaces.fresh("interop");
        Principal robot = workspaces.serviceAccount(admin, "interop-bot");
        api.createProject(admin.ws(), admin.token(), "models", "private");
        api.assignServiceAccount(admin.ws(), admin.token(), "models", robot.id(), "contributor");

        HttpResponse<String> live = get(robot.token());
        assertThat(live.statusCode()).as(live.body() + "\n" + resourceServer.logTail(40)).isEqualTo(200);
        JsonNode echoed = Api.JSON.readTree(live.body());
        assertThat(echoed.path("name").asText()).isEqualTo(robot.id());
        assertThat(echoed.path("authorities").toString())
                .contains("\"SCOPE_models:read\"", "\"SCOPE_models:write\"").doesNotContain("SCOPE_models:manage");

        api.revokeToken(admin.ws(), admin.token(), robot.id(), robot.tokenId());
        HttpResponse<String> revoked = get(robot.token());
        assertThat(revoked.statusCode()).as("the very next call after the revocation").isEqualTo(401);
        assertThat(revoked.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");

        HttpResponse<String> unknown = get("svcacct_never-issued");
        assertThat(unknown.statusCode()).isEqualTo(401);

        // the client itself revoked: the query side refuses the resource server, which lets no token in
        assertThat(get(admin.token()).statusCode()).as("the admin's live token").isEqualTo(200);
        api.revokeIntrospectionClient(clientId);
        assertThat(get(admin.token()).statusCode()).as("the very next call after the client's revocation")
                .isEqualTo(401);
    }

    /** -1 while nothing listens yet. */
    private static int statusWithoutToken() throws InterruptedException {
        try {
            return get(null).statusCode();
        } catch (IOException notYet) {
            return -1;
        }
    }

    private static HttpResponse<String> get(String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(resourceServer.baseUrl() + "/authorities"))
                .timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
