package dev.svcaccounts.query.access;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.CredentialStore;
import dev.svcaccounts.credentials.ProjectListing;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.FormFields;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.infra.web.Text;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * RFC 7662 token introspection for the rest of the platform, operator only. Answered from the credential and
 * access tables, which commands write in their own transaction: a token revoked, an account deactivated, a
 * member removed or a role changed reads so the moment the command has returned. The answer is bounded: explicit
 * grants and a summary of implicit access, or one project with {@code resource} ({@link IntrospectionView}).
 */
@RestController
class IntrospectionController {

    /**
     * RFC 7662's fields: the token, and a hint this server does not need; and RFC 8707's {@code resource}, the one
     * project the answer is about ({@link ProjectResource}).
     */
    private static final Set<String> FIELDS = new TreeSet<>(Set.of("token", "token_type_hint",
            ProjectResource.NAME));

    /** The form, for the API documentation. */
    record IntrospectionForm(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String token,
                             String token_type_hint,
                             @Schema(description = "Answer for this project only (RFC 8707): its key or "
                                     + "project:<key>, once. Without it: explicit grants (at most "
                                     + ProjectListing.MAX_LISTED + ") and a summary of implicit access.",
                                     example = "project:churn", maxLength = 48,
                                     pattern = ProjectResource.VALUE_PATTERN) String resource) {
    }

    private final CredentialStore credentials;
    private final IntrospectionCounters counters;

    IntrospectionController(CredentialStore credentials, IntrospectionCounters counters) {
        this.credentials = credentials;
        this.counters = counters;
    }

    @Refusals({"403 operator-required"})
    @Operation(operationId = "introspectToken",
            summary = "Introspect a token (form field 'token'): active or not, whose, its effective project roles "
            + "(for one project with form field 'resource')",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
                    schema = @Schema(implementation = IntrospectionForm.class))))
    @PostMapping(path = "/v1/introspect", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    IntrospectionView introspect(HttpServletRequest request, AuthenticatedPrincipal principal)
            throws IOException {
        Guard.requireOperator(principal);
        if (request.getQueryString() != null) {
            // a secret in a URL ends up in access logs and proxies; RFC 7662 defines no query parameter at all
            throw DomainRuleException.invalid("invalid-parameter", "Introspection takes no query parameters: send "
                    + "the token as form field 'token' in the request body, never in the URL.");
        }
        Map<String, String> form = FormFields.read(request);
        for (String field : form.keySet()) {
            if (!FIELDS.contains(field)) {
                throw DomainRuleException.invalid("invalid-field", "Unknown form field '" + Text.forMessage(field)
                        + "'. Known fields: " + FIELDS + ".");
            }
        }
        String token = form.get("token");
        if (token == null || token.isEmpty()) {
            throw DomainRuleException.invalid("invalid-field",
                    "Form field 'token' is required: the token to introspect.");
        }
        String project = ProjectResource.key(form.get(ProjectResource.NAME), "Form field", "invalid-field");
        // never cached: Cache-Control no-store, as on every answer (NoStoreFilter)
        IntrospectionView answer = (project == null ? credentials.lookupWithAccess(token)
                : credentials.lookupWithAccess(token, project))
                .map(found -> IntrospectionView.of(found.token(), found.projects(), project != null))
                .orElse(IntrospectionView.INACTIVE);
        counters.answered(answer.active());
        return answer;
    }
}
