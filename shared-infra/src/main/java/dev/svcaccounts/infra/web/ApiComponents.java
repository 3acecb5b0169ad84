package dev.svcaccounts.infra.web;

import dev.svcaccounts.infra.idempotency.IdempotencyKey;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;

import java.math.BigDecimal;
import java.util.List;

/** The schemas, headers and parameters every operation of both documents shares, by reference. */
final class ApiComponents {

    static final String PROBLEM = "#/components/schemas/Problem";
    static final String OAUTH_ERROR = OAuthErrors.SCHEMA;
    static final String X_REQUEST_ID = "X-Request-Id";
    static final String X_CORRELATION_ID = "X-Correlation-Id";
    static final String RETRY_AFTER = "Retry-After";
    static final String AUDIT_REASON = "X-Audit-Reason";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    /** The rule {@link RequestIdFilter} applies to a client's correlation id: printable ASCII, no space at an end. */
    private static final String PRINTABLE_ASCII = "^[\\x21-\\x7E]([\\x20-\\x7E]{0,126}[\\x21-\\x7E])?$";

    private ApiComponents() {
    }

    static Components add(Components components) {
        return components
                .addSchemas("Problem", problem())
                .addSchemas("OAuthError", oauthError())
                .addSchemas("FieldError", new ObjectSchema().description("A field refused (`invalid-field`)")
                        .addProperty("field", new StringSchema().maxLength(1000))
                        .addProperty("message", new StringSchema().maxLength(1000)))
                .addHeaders(X_REQUEST_ID, new Header().description("Our own id of this request (a new UUID), also "
                        + "in the logs, in problem documents and in audit entries").schema(new StringSchema()
                        .format("uuid").maxLength(36)))
                .addHeaders(X_CORRELATION_ID, new Header().description("The client's correlation id, echoed when it "
                        + "sent one").schema(correlationId()))
                .addHeaders(RETRY_AFTER, new Header().description("Seconds to wait before trying again")
                        .schema(new IntegerSchema().format("int64").minimum(BigDecimal.ONE)
                                .maximum(BigDecimal.valueOf(86_400))))
                .addHeaders(IDEMPOTENT_REPLAYED, new Header().description("`true`: this is the stored answer of an "
                        + "earlier request with the same Idempotency-Key; nothing was done again")
                        .schema(new StringSchema()._enum(List.of("true"))))
                .addParameters(X_CORRELATION_ID, new HeaderParameter().name(X_CORRELATION_ID).required(false)
                        .description("The client's id for the request: echoed, recorded as `correlationId`, "
                                + "filterable. `X-Request-Id` is read the same way (never used as our own id); both "
                                + "with different values: `400 invalid-header`")
                        .schema(correlationId()))
                .addParameters(AUDIT_REASON, new HeaderParameter().name(AUDIT_REASON).required(false)
                        .description("Why: kept in the audit entries of the write (UTF-8, stored exactly; no control "
                                + "or invisible formatting characters, no whitespace at either end: "
                                + "`400 invalid-audit-reason`; empty: absent)")
                        .schema(new StringSchema().maxLength(500)))
                .addParameters(IDEMPOTENCY_KEY, new HeaderParameter().name(IDEMPOTENCY_KEY).required(false)
                        .description("Makes the write safe to retry, on any node: the same key with the same request "
                                + "gets the first answer (status and body) for 24 h, marked Idempotent-Replayed; "
                                + "another request with the key 422; while the first runs 409; an answer that held a "
                                + "token secret 409 idempotent-replay-of-secret with the token's id. Per principal; "
                                + "1-255 visible ASCII characters without '\"' or '\\', optionally quoted (a UUID "
                                + "is a good choice)")
                        .schema(new StringSchema().minLength(1).maxLength(IdempotencyKey.MAX_LENGTH + 2)
                                .pattern("^\"?[\\x21\\x23-\\x5B\\x5D-\\x7E]{1," + IdempotencyKey.MAX_LENGTH
                                        + "}\"?$")));
    }

    static Parameter parameterRef(String name) {
        return new Parameter().$ref("#/components/parameters/" + name);
    }

    static Header headerRef(String name) {
        return new Header().$ref("#/components/headers/" + name);
    }

    private static Schema<?> correlationId() {
        return new StringSchema().minLength(1).maxLength(128).pattern(PRINTABLE_ASCII);
    }

    /** RFC 9457's members and the ones our problem documents add (docs/api.md, "Errors"). */
    /** The token exchange's errors: RFC 6749 section 5.2's members, and a problem document's as well. */
    private static Schema<?> oauthError() {
        Schema<?> schema = new ObjectSchema()
                .description("An RFC 6749 section 5.2 error, as OAuth clients read it (`application/json`), with the "
                        + "members of a problem document too: `type` ends in the reason (e.g. `jti-replayed`)")
                .addRequiredItem("error").addRequiredItem("error_description")
                .addProperty("error", new StringSchema()._enum(List.of("invalid_request", "invalid_grant",
                        "invalid_target", "invalid_scope", "unsupported_grant_type", "temporarily_unavailable",
                        "server_error")))
                .addProperty("error_description", new StringSchema().maxLength(4000)
                        .pattern("^[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*$"))
                .addProperty("type", new StringSchema().format("uri").maxLength(100)
                        .pattern("^urn:svcaccounts:problem:[a-z0-9-]+$"))
                .addProperty("title", new StringSchema().maxLength(100))
                .addProperty("status", new IntegerSchema().format("int32")
                        .minimum(BigDecimal.valueOf(400)).maximum(BigDecimal.valueOf(599)))
                .addProperty("detail", new StringSchema().maxLength(4000))
                .addProperty("instance", new StringSchema().format("uri-reference").maxLength(8192))
                .addProperty("requestId", new StringSchema().format("uuid").maxLength(36))
                .addProperty("correlationId", correlationId());
        schema.setAdditionalProperties(Boolean.TRUE);
        return schema;
    }

    private static Schema<?> problem() {
        Schema<?> schema = new ObjectSchema()
                .description("An RFC 9457 problem document. `type` is `urn:svcaccounts:problem:<code>`: clients "
                        + "branch on that code, never on `detail`. Some codes add members (`limit`, ...)")
                .addRequiredItem("type").addRequiredItem("title").addRequiredItem("status")
                .addProperty("type", new StringSchema().format("uri").maxLength(100)
                        .pattern("^urn:svcaccounts:problem:[a-z0-9-]+$")
                        .example("urn:svcaccounts:problem:workspace-admin-required"))
                .addProperty("title", new StringSchema().maxLength(100).description("The status's reason phrase"))
                .addProperty("status", new IntegerSchema().format("int32")
                        .minimum(BigDecimal.valueOf(400)).maximum(BigDecimal.valueOf(599)))
                .addProperty("detail", new StringSchema().maxLength(4000).description("A sentence naming the rule"))
                .addProperty("instance", new StringSchema().format("uri-reference").maxLength(8192)
                        .description("The path (absent on refusals made before Spring MVC)"))
                .addProperty("requestId", new StringSchema().format("uuid").maxLength(36))
                .addProperty("correlationId", correlationId())
                .addProperty("errors", new ArraySchema().maxItems(100)
                        .items(new Schema<>().$ref("#/components/schemas/FieldError")))
                .addProperty("limit", new IntegerSchema().format("int64").minimum(BigDecimal.ZERO)
                        .description("The workspace limit or the write rate limit reached"))
                .addProperty("windowSeconds", new IntegerSchema().format("int64")
                        .minimum(BigDecimal.ZERO))
                .addProperty("retryAfterSeconds", new IntegerSchema().format("int64")
                        .minimum(BigDecimal.ZERO));
        schema.setAdditionalProperties(Boolean.TRUE);
        return schema;
    }
}
