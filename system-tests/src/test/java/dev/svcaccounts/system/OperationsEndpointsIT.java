package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What operators and API users rely on besides the API itself: health, metrics, the OpenAPI documents. */
class OperationsEndpointsIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("operations");
    private static Api api;

    @BeforeAll
    static void setUp() {
        api = system.api();
    }

    @Test
    void health_isPublicAndUpOnBothSides() {
        for (Response health : List.of(api.command("GET", "/actuator/health").send(),
                api.query("GET", "/actuator/health").send())) {
            assertThat(health.status()).as(health.describe()).isEqualTo(200);
            assertThat(health.json().path("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void prometheusMetrics_reportTheLagOfEveryQueryProcessor() {
        api.createWorkspace("metrics", "alice");
        system.awaitProjectionsCaughtUp();
        String metrics =
                api.query("GET", "/actuator/prometheus").header("Accept", "text/plain").send().expect(200).body();
        for (String processor : RunningSystem.QUERY_PROCESSORS) {
            assertThat(metrics).containsPattern(
                    "svcaccounts_processor_lag_events\\{[^}]*processor=\"" + processor + "\"[^}]*\\} 0\\.0");
        }
    }

    @Test
    void openApiDocuments_describeTheContractOfEachSide() {
        JsonNode command = api.command("GET", "/v3/api-docs").send().expect(200).json();
        assertThat(paths(command)).contains(
                "/v1/workspaces",
                "/v1/workspaces/{ws}/service-accounts",
                "/v1/workspaces/{ws}/service-accounts/{id}",
                "/v1/workspaces/{ws}/service-accounts/{id}/deactivate",
                "/v1/workspaces/{ws}/service-accounts/{id}/reactivate",
                "/v1/workspaces/{ws}/service-accounts/{id}/tokens",
                "/v1/workspaces/{ws}/service-accounts/{id}/tokens/{tokenId}");
        assertThat(command.path("components").path("securitySchemes").path("bearer").path("scheme").asText())
                .isEqualTo("bearer");

        JsonNode query = api.query("GET", "/v3/api-docs").send().expect(200).json();
        assertThat(paths(query)).contains(
                "/v1/workspaces/{ws}/service-accounts",
                "/v1/workspaces/{ws}/service-accounts/{id}",
                "/v1/workspaces/{ws}/service-accounts/{id}/tokens",
                "/v1/workspaces/{ws}/service-accounts/{id}/timeline",
                "/v1/workspaces/{ws}/members/{username}/timeline",
                "/v1/workspaces/{ws}/audit",
                "/v1/workspaces/{ws}/audit/export",
                "/v1/workspaces/{ws}/compliance/tokens");

        // who is calling comes from the bearer token and the headers, never from a documented parameter
        for (JsonNode document : List.of(command, query)) {
            document.path("paths").forEach(path -> path.forEach(operation -> operation.path("parameters").forEach(
                    parameter -> assertThat(parameter.path("in").asText() + " " + parameter.path("name").asText())
                            .doesNotContainIgnoringCase("principal").doesNotContainIgnoringCase("context"))));
        }
    }

    @Test
    void swaggerUi_isServedOnBothSides() {
        for (Response page : List.of(api.command("GET", "/swagger-ui/index.html").send(),
                api.query("GET", "/swagger-ui/index.html").send())) {
            assertThat(page.status()).as(page.describe()).isEqualTo(200);
            assertThat(page.body()).contains("swagger-ui");
        }
    }

    private static List<String> paths(JsonNode document) {
        List<String> paths = new ArrayList<>();
        document.path("paths").fieldNames().forEachRemaining(paths::add);
        return paths;
    }
}
