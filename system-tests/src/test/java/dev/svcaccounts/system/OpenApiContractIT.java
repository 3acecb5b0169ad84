package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.RunningSystem;
import io.swagger.v3.oas.annotations.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI documents both applications serve are the contract committed in docs/openapi/ (the generated client
 * is built from those files): a change to an endpoint fails this test until the files are regenerated, so every
 * change of the contract shows in a diff. They list every endpoint the applications map, each with an operation
 * id and a summary of its own (so OpenApiFuzzIT, which reads the documents, reaches every endpoint).
 *
 * <p>{@code -Dopenapi.write=true} writes the files instead of comparing them: {@value #REGENERATE}.
 */
class OpenApiContractIT {

    static final String REGENERATE = "scripts/regenerate-openapi.sh";
    private static final Path COMMITTED = Path.of("..", "docs", "openapi");

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("contract");

    @Test
    void theServedDocumentsAreTheCommittedContract() throws IOException {
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, String> side : Map.of("command-side", system.commandUrl(),
                "query-side", system.queryUrl()).entrySet()) {
            String served = fetch(side.getValue() + "/v3/api-docs") + "\n";
            Path file = COMMITTED.resolve(side.getKey() + ".json");
            if (Boolean.getBoolean("openapi.write")) {
                Files.createDirectories(COMMITTED);
                Files.writeString(file, served, StandardCharsets.UTF_8);
            } else if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(served)) {
                differing.add("docs/openapi/" + side.getKey() + ".json");
            }
        }
        assertThat(differing).as("the running applications' OpenAPI documents differ from the committed contract; "
                + "if the change is meant, regenerate both files with `" + REGENERATE + "` and commit them").isEmpty();
    }

    @Test
    void everyEndpointIsOneDocumentedOperationWithItsOwnIdAndSummary() throws IOException {
        check(system.commandSide(), system.commandUrl());
        check(system.querySide(), system.queryUrl());
    }

    private static void check(ConfigurableApplicationContext application, String url) throws IOException {
        Set<String> mapped = new TreeSet<>();
        Set<String> ids = new TreeSet<>();
        RequestMappingHandlerMapping mappings = application.getBean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class);
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
            HandlerMethod handler = entry.getValue();
            if (!handler.getBeanType().getName().startsWith("dev.svcaccounts.")
                    || ErrorController.class.isAssignableFrom(handler.getBeanType())) {
                continue; // springdoc's own endpoints; the error page (ApiDocuments.UNDOCUMENTED_PATHS)
            }
            Operation operation = handler.getMethodAnnotation(Operation.class);
            assertThat(operation).as(handler + " has @Operation").isNotNull();
            assertThat(operation.operationId()).as(handler + ": its operation id (what a generated client calls "
                    + "it; stable across renames of the Java method)").isNotBlank();
            assertThat(operation.summary()).as(handler + ": its summary").isNotBlank();
            assertThat(ids.add(operation.operationId())).as("operation id " + operation.operationId() + " is unique")
                    .isTrue();
            for (String path : entry.getKey().getPatternValues()) {
                entry.getKey().getMethodsCondition().getMethods()
                        .forEach(method -> mapped.add(method.name() + " " + path));
            }
        }
        Set<String> documented = new TreeSet<>();
        Set<String> documentedIds = new TreeSet<>();
        JsonNode paths = Api.JSON.readTree(fetch(url + "/v3/api-docs")).get("paths");
        paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            documented.add(operation.getKey().toUpperCase() + " " + path.getKey());
            documentedIds.add(operation.getValue().get("operationId").asText());
        }));
        assertThat(documented).as("every mapped endpoint is one operation of " + url + "/v3/api-docs")
                .isEqualTo(mapped);
        assertThat(documentedIds).as("the documented operation ids are the declared ones").isEqualTo(ids);
    }

    private static String fetch(String url) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(url).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
