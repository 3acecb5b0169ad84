package dev.svcaccounts.system.fuzz;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Both applications' OpenAPI documents ({@code /v3/api-docs}), read with swagger-parser: every operation with its
 * parameters and body schema (and GET and POST of a few {@link #UNDOCUMENTED_PATHS}), and every property name any
 * schema of either document knows (the names "extra field" mutations pick from, so that an undocumented field the
 * endpoint does read is found).
 */
public final class ApiDocuments {

    /**
     * Paths no document lists that every server still answers: the servlet container's error page, the root, an
     * unmapped path. Their answers must keep the contract too.
     */
    static final List<String> UNDOCUMENTED_PATHS = List.of("/error", "/", "/v1/workspaces/{ws}/nonexistent");

    private final List<Operation> operations;
    private final List<String> propertyNames;

    private ApiDocuments(List<Operation> operations, List<String> propertyNames) {
        this.operations = operations;
        this.propertyNames = propertyNames;
    }

    public static ApiDocuments read(String commandUrl, String queryUrl) {
        List<Operation> operations = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (Side side : Side.values()) {
            OpenAPI document = parse(fetch((side == Side.COMMAND ? commandUrl : queryUrl) + "/v3/api-docs"));
            List<Operation> documented = operations(side, document);
            operations.addAll(documented);
            for (String method : List.of("GET", "POST")) {
                for (String path : UNDOCUMENTED_PATHS) {
                    if (documented.stream().noneMatch(o -> o.method().equals(method) && o.path().equals(path))) {
                        operations.add(new Operation(side, method, path, List.of(), List.of(), null));
                    }
                }
            }
            if (document.getComponents() != null && document.getComponents().getSchemas() != null) {
                document.getComponents().getSchemas().values().forEach(schema -> collectNames(schema, names));
            }
        }
        operations.sort(Comparator.comparing(Operation::side).thenComparing(Operation::path)
                .thenComparing(Operation::method));
        return new ApiDocuments(List.copyOf(operations), List.copyOf(names));
    }

    public List<Operation> operations() {
        return operations;
    }

    /** Sorted, so that a seed picks the same names in every run. */
    public List<String> propertyNames() {
        return propertyNames;
    }

    private static String fetch(String url) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(url + " could not be read", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static OpenAPI parse(String json) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        if (result.getOpenAPI() == null) {
            throw new IllegalStateException("not an OpenAPI document: " + result.getMessages());
        }
        return result.getOpenAPI();
    }

    private static List<Operation> operations(Side side, OpenAPI document) {
        List<Operation> operations = new ArrayList<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            List<Operation.Parameter> pathParameters = new ArrayList<>();
            List<Operation.Parameter> queryParameters = new ArrayList<>();
            List<io.swagger.v3.oas.models.parameters.Parameter> parameters = new ArrayList<>();
            if (item.getParameters() != null) {
                parameters.addAll(item.getParameters());
            }
            if (operation.getParameters() != null) {
                parameters.addAll(operation.getParameters());
            }
            for (io.swagger.v3.oas.models.parameters.Parameter parameter : parameters) {
                Operation.Parameter documented = new Operation.Parameter(parameter.getName(),
                        Boolean.TRUE.equals(parameter.getRequired()), parameter.getSchema());
                if ("path".equals(parameter.getIn())) {
                    pathParameters.add(documented);
                } else if ("query".equals(parameter.getIn())) {
                    queryParameters.add(documented);
                }
            }
            operations.add(new Operation(side, method(method), path, List.copyOf(pathParameters),
                    List.copyOf(queryParameters), body(operation.getRequestBody())));
        }));
        return operations;
    }

    private static String method(PathItem.HttpMethod method) {
        return method.name();
    }

    private static Operation.Body body(RequestBody body) {
        if (body == null || body.getContent() == null || body.getContent().isEmpty()) {
            return null;
        }
        Map.Entry<String, MediaType> content = body.getContent().entrySet().iterator().next();
        return new Operation.Body(content.getKey(), content.getValue().getSchema(),
                Boolean.TRUE.equals(body.getRequired()));
    }

    private static void collectNames(Schema<?> schema, Set<String> names) {
        if (schema == null) {
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, property) -> {
                names.add(name);
                collectNames(property, names);
            });
        }
        collectNames(schema.getItems(), names);
    }

    /** The schema's type: OpenAPI 3.1 documents give a set of types, 3.0 documents one. */
    public static String type(Schema<?> schema) {
        if (schema == null) {
            return null;
        }
        if (schema.getType() != null) {
            return schema.getType();
        }
        if (schema.getTypes() != null && !schema.getTypes().isEmpty()) {
            return schema.getTypes().stream().filter(t -> !t.equals("null")).findFirst().orElse("null");
        }
        return schema.getProperties() != null ? "object" : null;
    }
}
