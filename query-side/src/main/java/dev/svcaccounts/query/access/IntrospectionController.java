package dev.svcaccounts.query.access;

import dev.svcaccounts.credentials.CredentialStore;
import dev.svcaccounts.credentials.ProjectListing;
import dev.svcaccounts.infra.security.OperatorBearer;
import dev.svcaccounts.infra.web.FormFields;
import dev.svcaccounts.infra.web.OAuthErrors;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.infra.web.Text;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * RFC 7662 token introspection for the rest of the platform: for introspection clients the operator registered
 * (HTTP Basic or form fields, {@link IntrospectionCaller}) and for the operator's own bearer credential. Answered
 * from the credential and access tables, which commands write in their own transaction: a token revoked, an account
 * deactivated, a member removed or a role changed reads so the moment the command has returned. The answer is
 * bounded: explicit grants and a summary of implicit access, or one project with {@code resource}
 * ({@link IntrospectionView}). Its 400s and 401s are OAuth error responses that are also problem documents
 * ({@link IntrospectionError}).
 */
@RestController
class IntrospectionController {

    /**
     * RFC 7662's fields: the token, and a hint this server does not need; a client's credentials (RFC 6749); and
     * RFC 8707's {@code resource}, the one project the answer is about ({@link ProjectResource}).
     */
    private static final Set<String> FIELDS = new TreeSet<>(Set.of("token", "token_type_hint",
            IntrospectionCaller.CLIENT_ID, IntrospectionCaller.CLIENT_SECRET, ProjectResource.NAME));

    /** The form, for the API documentation. */
    record IntrospectionForm(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String token,
                             String token_type_hint, String client_id, String client_secret,
                             @Schema(description = "Answer for this project only (RFC 8707): its key or "
                                     + "project:<key>, once. Without it: explicit grants (at most "
                                     + ProjectListing.MAX_LISTED + ") and a summary of implicit access.",
                                     example = "project:churn", maxLength = 48,
                                     pattern = ProjectResource.VALUE_PATTERN) String resource) {
    }

    private final CredentialStore credentials;
    private final IntrospectionCaller caller;
    private final IntrospectionCounters counters;
    private final OperatorBearer operatorBearer;

    IntrospectionController(CredentialStore credentials, IntrospectionCaller caller, IntrospectionCounters counters,
                            OperatorBearer operatorBearer) {
        this.credentials = credentials;
        this.caller = caller;
        this.counters = counters;
        this.operatorBearer = operatorBearer;
    }

    @Refusals({"400 invalid-field", "400 invalid-request", "401 invalid-client", "401 introspection-not-allowed"})
    @Operation(operationId = "introspectToken",
            summary = "Introspect a token (form field 'token'): active or not, whose, its effective project roles "
            + "(for one project with form field 'resource')",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
                    schema = @Schema(implementation = IntrospectionForm.class))))
    @ApiResponse(responseCode = "200", description = "RFC 7662: {\"active\": false} alone for a token that does not "
            + "work", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "An OAuth error response (RFC 6749 §5.2) that is also a problem "
            + "document: 'error' is invalid_request", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "401", description = "An OAuth error response (RFC 6749 §5.2) that is also a problem "
            + "document: 'error' is invalid_client or invalid_token", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(ref = "#/components/schemas/Problem")))
    @PostMapping(path = "/v1/introspect", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    IntrospectionView introspect(HttpServletRequest request) throws IOException {
        String operatorSecret = OperatorBearer.pending(request);
        String token;
        String project;
        try {
            Map<String, String> form = readForm(request);
            caller.authenticate(request, form);
            if (request.getQueryString() != null) {
                // a secret in a URL ends up in access logs and proxies; RFC 7662 defines no query parameter at all
                throw IntrospectionError.invalidRequest("invalid-parameter", "Introspection takes no query "
                        + "parameters: send the token as form field 'token' in the request body, never in the URL.");
            }
            for (String field : form.keySet()) {
                if (!FIELDS.contains(field)) {
                    throw IntrospectionError.invalidRequest("invalid-field", "Unknown form field '"
                            + Text.forMessage(field) + "'. Known fields: " + FIELDS + ".");
                }
            }
            token = form.get("token");
            if (token == null || token.isEmpty()) {
                throw IntrospectionError.invalidRequest("invalid-field",
                        "Form field 'token' is required: the token to introspect.");
            }
            project = resource(form);
        } catch (RuntimeException | IOException refused) {
            // an operator credential that does not work is refused first, as the bearer filter would have
            if (operatorSecret != null && !operatorBearer.checkAlone(request, operatorSecret)) {
                throw new OperatorRefused();
            }
            throw refused;
        }
        Optional<CredentialStore.TokenAccess> found;
        if (operatorSecret != null) {
            // one statement reads the stored operator credential and the token
            CredentialStore.OperatorIntrospection read =
                    credentials.lookupWithAccessAsOperator(operatorSecret, token, project);
            if (!read.callerIsOperator()) {
                throw new OperatorRefused();
            }
            operatorBearer.authenticated(request, operatorSecret);
            found = read.access();
        } else {
            found = project == null ? credentials.lookupWithAccess(token)
                    : credentials.lookupWithAccess(token, project);
        }
        // never cached: Cache-Control no-store, as on every answer (NoStoreFilter)
        IntrospectionView answer = found
                .map(access -> IntrospectionView.of(access.token(), access.projects(), project != null))
                .orElse(IntrospectionView.INACTIVE);
        counters.answered(answer.active());
        return answer;
    }

    /** The operator's bearer credential did not work: the bearer filter's 401 ({@link OperatorBearer#refuse}). */
    private static final class OperatorRefused extends RuntimeException {
        OperatorRefused() {
            super("The bearer credential is not the operator's", null, false, false);
        }
    }

    @ExceptionHandler(OperatorRefused.class)
    void operatorRefused(HttpServletRequest request, HttpServletResponse response) throws IOException {
        operatorBearer.refuse(request, response, OperatorBearer.pending(request));
    }

    /** The project asked about, or null; a malformed one is OAuth's invalid_request. */
    private static String resource(Map<String, String> form) {
        try {
            return ProjectResource.key(form.get(ProjectResource.NAME), "Form field", "invalid-field");
        } catch (DomainRuleException malformed) {
            throw IntrospectionError.inOAuthForm(malformed);
        }
    }

    /** A malformed form is OAuth's invalid_request. */
    private static Map<String, String> readForm(HttpServletRequest request) throws IOException {
        try {
            return FormFields.read(request);
        } catch (DomainRuleException malformed) {
            throw IntrospectionError.inOAuthForm(malformed);
        }
    }

    /** An OAuth error response (RFC 6749 §5.2) that is also a problem document: see {@link OAuthErrors}. */
    @ExceptionHandler(IntrospectionError.class)
    ResponseEntity<ProblemDetail> refused(IntrospectionError e) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(e.status()).contentType(OAuthErrors.MEDIA_TYPE);
        e.challenges().forEach(challenge -> answer.header(HttpHeaders.WWW_AUTHENTICATE, challenge));
        return answer.body(OAuthErrors.problem(e.status(), e.code(), e.title(), e.getMessage(), e.error()));
    }
}
