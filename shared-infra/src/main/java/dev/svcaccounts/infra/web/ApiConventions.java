package dev.svcaccounts.infra.web;

import dev.svcaccounts.infra.idempotency.KeyedWrites;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springframework.web.method.HandlerMethod;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The rules that make every operation of the OpenAPI documents say what it answers (docs/api.md, "Answers any
 * endpoint can give"): the problem responses every operation of its kind can give, each as
 * {@code application/problem+json} with the {@code Problem} schema; {@code application/json} for JSON answers
 * (springdoc writes {@code *}{@code /*}); the request and response headers. Applied once, when a document is built.
 */
final class ApiConventions {

    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String WORKSPACE_PATHS = "/v1/workspaces/{ws}";

    private final KeyedWrites keyedWrites;

    ApiConventions(KeyedWrites keyedWrites) {
        this.keyedWrites = keyedWrites;
    }

    /** An operation's own refusals ({@link Refusals}), grouped by status. */
    static Operation addRefusals(Operation operation, HandlerMethod handler) {
        Refusals refusals = handler.getMethodAnnotation(Refusals.class);
        if (refusals == null) {
            return operation;
        }
        Map<String, Set<String>> byStatus = new TreeMap<>();
        for (String refusal : refusals.value()) {
            String[] parts = refusal.split(" ", 2);
            if (parts.length != 2 || !parts[0].matches("[45][0-9][0-9]")) {
                throw new IllegalStateException("@Refusals of " + handler + ": '" + refusal + "' is not "
                        + "'<status> <problem-code>'");
            }
            byStatus.computeIfAbsent(parts[0], status -> new LinkedHashSet<>()).add(parts[1]);
        }
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        byStatus.forEach((status, codes) -> problem(operation, status, List.copyOf(codes)));
        return operation;
    }

    void apply(OpenAPI document) {
        if (document.getPaths() == null) {
            return;
        }
        document.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> apply(path, method, operation)));
    }

    private void apply(String path, PathItem.HttpMethod method, Operation operation) {
        // an operation documented with no security (@SecurityRequirements with none: the leaked-token report) reads
        // no token, so none of the answers about tokens, principals or their keys apply to it
        boolean open = operation.getSecurity() != null && operation.getSecurity().isEmpty();
        boolean write = !open && keyedWrites.covers(method.name(), path);
        boolean workspace = path.startsWith(WORKSPACE_PATHS);
        boolean commandWrite = write && workspace;
        boolean body = operation.getRequestBody() != null;
        // AcceptableAnswers: only an endpoint that answers JSON refuses an Accept without JSON
        boolean jsonAnswer = successes(operation).anyMatch(r -> r.getContent() != null
                && (r.getContent().containsKey("*/*") || r.getContent().containsKey(JSON)));
        if (operation.getParameters() != null) {
            operation.getParameters().stream().filter(p -> "path".equals(p.getIn()))
                    .forEach(PathParameters::describe);
        }

        operation.addParametersItem(ApiComponents.parameterRef(ApiComponents.X_CORRELATION_ID));
        if (write) {
            operation.addParametersItem(ApiComponents.parameterRef(ApiComponents.AUDIT_REASON));
            operation.addParametersItem(ApiComponents.parameterRef(ApiComponents.IDEMPOTENCY_KEY));
        }

        if (path.equals(OAuthErrors.TOKEN_EXCHANGE_PATH)) {
            oauthErrors(operation);
        } else {
            problems(operation, write, open, workspace, commandWrite, body, jsonAnswer);
        }

        operation.getResponses().forEach((status, response) -> {
            response.addHeaderObject(ApiComponents.X_REQUEST_ID, ApiComponents.headerRef(ApiComponents.X_REQUEST_ID));
            response.addHeaderObject(ApiComponents.X_CORRELATION_ID,
                    ApiComponents.headerRef(ApiComponents.X_CORRELATION_ID));
            if (status.equals("429") || status.equals("503") || (write && status.equals("409"))) {
                response.addHeaderObject(ApiComponents.RETRY_AFTER, ApiComponents.headerRef(ApiComponents.RETRY_AFTER));
            }
            if (write && status.startsWith("2")) {
                response.addHeaderObject(ApiComponents.IDEMPOTENT_REPLAYED,
                        ApiComponents.headerRef(ApiComponents.IDEMPOTENT_REPLAYED));
            }
            if (status.startsWith("2") && response.getContent() != null && response.getContent().containsKey("*/*")) {
                Content content = new Content();
                content.addMediaType(JSON, response.getContent().get("*/*"));
                response.setContent(content);
            }
        });
    }

    /** The problem responses every operation of its kind can give. */
    private static void problems(Operation operation, boolean write, boolean open, boolean workspace,
                                 boolean commandWrite, boolean body, boolean jsonAnswer) {
        problem(operation, "400", List.of("invalid-path", "invalid-parameter", "invalid-header",
                "invalid-audit-reason", "malformed-request", "invalid-field", "unexpected-body"));
        if (write) {
            problem(operation, "400", List.of("invalid-idempotency-key"));
        }
        if (!open) {
            problem(operation, "401", List.of("unauthenticated"));
        }
        if (commandWrite) {
            problem(operation, "401", List.of("token-revoked", "token-expired", "account-deactivated",
                    "account-deleted", "member-removed", "token-rotated", "token-leaked", "policy-max-lifetime",
                    "policy-idle"));
        }
        if (workspace) {
            // a scoped token: anything workspace-level, or beyond its cap in a project (TokenScope)
            problem(operation, "403", List.of("token-scope-exceeded"));
            problem(operation, "404", List.of("workspace-not-found"));
        }
        if (jsonAnswer) {
            problem(operation, "406", List.of("not-acceptable"));
        }
        if (commandWrite) {
            problem(operation, "409", List.of("concurrent-modification"));
        }
        if (write) {
            problem(operation, "409", List.of("idempotency-key-in-use"));
            problem(operation, "422", List.of("idempotency-key-reused"));
            problem(operation, "413", List.of("request-too-large"));
        }
        if (body) {
            problem(operation, "413", List.of("content-too-large"));
            problem(operation, "415", List.of("unsupported-media-type"));
        }
        // the operator is exempt from the write limit; an open operation has a throttle of its own (its @Refusals)
        if (!open) {
            problem(operation, "429", write && !operatorOnly(operation)
                    ? List.of("too-many-failed-authentications", "rate-limited")
                    : List.of("too-many-failed-authentications"));
        }
        problem(operation, "500", List.of("internal-error"));
        problem(operation, "503", List.of("database-unavailable", "commit-outcome-unknown", "storage-full",
                "database-overloaded", "authentication-busy"));
    }

    /**
     * The token exchange answers its errors as OAuth errors ({@link OAuthErrors}), whatever raised them: the checks
     * every endpoint makes (a query string, an unacceptable {@code Accept}, a body too large or not a form) are its
     * {@code 400 invalid_request}, never a 406, 413 or 415. Only what is refused before any handler is chosen (a
     * malformed path or header) stays a problem document.
     */
    private static void oauthErrors(Operation operation) {
        problem(operation, "400", List.of("invalid-path", "invalid-header"));
        problem(operation, "500", List.of("internal-error"));
        problem(operation, "503", List.of("database-unavailable", "commit-outcome-unknown", "storage-full",
                "database-overloaded", "concurrent-modification"));
        operation.getResponses().forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                Content content = new Content().addMediaType(JSON,
                        new MediaType().schema(new Schema<>().$ref(ApiComponents.OAUTH_ERROR)));
                if (status.equals("400")) {
                    content.addMediaType(PROBLEM_JSON,
                            new MediaType().schema(new Schema<>().$ref(ApiComponents.PROBLEM)));
                }
                response.setContent(content);
            }
        });
    }

    /** Whether the operation names {@code operator-required} among its own refusals ({@link Refusals}). */
    private static boolean operatorOnly(Operation operation) {
        ApiResponse forbidden = operation.getResponses().get("403");
        return forbidden != null && forbidden.getDescription() != null
                && forbidden.getDescription().contains("`operator-required`");
    }

    private static Stream<ApiResponse> successes(Operation operation) {
        return operation.getResponses() == null ? Stream.empty()
                : operation.getResponses().entrySet().stream().filter(e -> e.getKey().startsWith("2"))
                .map(Map.Entry::getValue);
    }

    /** Adds {@code codes} to the operation's problem response of {@code status}, creating it when absent. */
    private static void problem(Operation operation, String status, List<String> codes) {
        ApiResponse response = operation.getResponses().get(status);
        String listed = String.join(", ", codes.stream().map(code -> "`" + code + "`").toList());
        if (response == null) {
            operation.getResponses().addApiResponse(status, new ApiResponse().description(listed)
                    .content(new Content().addMediaType(PROBLEM_JSON,
                            new MediaType().schema(new Schema<>().$ref(ApiComponents.PROBLEM)))));
        } else {
            String description = response.getDescription();
            response.setDescription(description == null || description.isBlank() ? listed
                    : description + ", " + listed);
            if (response.getContent() == null || response.getContent().isEmpty()) {
                response.setContent(new Content().addMediaType(PROBLEM_JSON,
                        new MediaType().schema(new Schema<>().$ref(ApiComponents.PROBLEM))));
            }
        }
    }
}
