package dev.svcaccounts.query.access;

import dev.svcaccounts.infra.security.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.CredentialStore;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * RFC 7662 token introspection for the rest of the platform, operator only. Answered from the credential and
 * access tables, which commands write in their own transaction: a token revoked, an account deactivated, a
 * member removed or a role changed reads so the moment the command has returned.
 */
@RestController
class IntrospectionController {

    private final CredentialStore credentials;

    IntrospectionController(CredentialStore credentials) {
        this.credentials = credentials;
    }

    @Operation(summary = "Introspect a token (form field 'token'): active or not, whose, its effective project roles")
    @PostMapping(path = "/v1/introspect", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<IntrospectionView> introspect(@RequestParam(required = false) String token,
                                                 HttpServletRequest request, AuthenticatedPrincipal principal) {
        Guard.requireOperator(principal);
        if (inQueryString(request)) {
            // a secret in a URL ends up in access logs and proxies
            throw DomainRuleException.invalid("invalid-field",
                    "Send the token as form field 'token' in the request body, not in the URL.");
        }
        if (token == null || token.isBlank()) {
            throw DomainRuleException.invalid("invalid-field", "Form field 'token' is required: the token to introspect.");
        }
        IntrospectionView view = credentials.lookupWithAccess(token.strip())
                .map(found -> IntrospectionView.of(found.token(), found.accessibleProjects()))
                .orElse(IntrospectionView.INACTIVE);
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(view);
    }

    private static boolean inQueryString(HttpServletRequest request) {
        String query = request.getQueryString();
        return query != null && UriComponentsBuilder.newInstance().query(query).build().getQueryParams().containsKey("token");
    }
}
