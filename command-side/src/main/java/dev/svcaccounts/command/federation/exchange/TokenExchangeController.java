package dev.svcaccounts.command.federation.exchange;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.svcaccounts.command.federation.jwt.ExchangeRefusal;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.FormFields;
import dev.svcaccounts.infra.web.OAuthErrors;
import dev.svcaccounts.infra.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.stream.Collectors;

/**
 * {@code POST /v1/token}: RFC 8693 token exchange of an external identity's JWT (a CI job's OIDC token) for a
 * short-lived token of the service account whose federation rule trusts it ({@link TokenExchanges}). No
 * authentication: the JWT is the credential. Answers as OAuth clients expect: RFC 8693 section 2.2 on success, RFC
 * 6749 section 5.2 {@code application/json} errors ({@link TokenExchangeErrors}), never cached.
 */
@RestController
class TokenExchangeController {

    /** The form, for the API documentation. */
    record TokenExchangeForm(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = ExchangeRequest.GRANT_TYPE)
            String grant_type,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The JWT (compact JWS, RS256 or ES256) "
                    + "of the external identity, e.g. a GitHub Actions OIDC token")
            String subject_token,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = ExchangeRequest.JWT_TOKEN_TYPE)
            String subject_token_type,
            @Schema(description = "<workspace>/<service-account id>: needed only when the JWT matches the rules of "
                    + "several accounts", example = "acme/0b5e0c1e-8d1a-4a57-9a0e-3c7f2b1d9e40")
            String resource,
            @Schema(description = "A narrower scope: space-separated <projectKey>:<role> (viewer, contributor, "
                    + "owner)", example = "churn:contributor eval:viewer")
            String scope,
            @Schema(allowableValues = ExchangeRequest.ACCESS_TOKEN_TYPE)
            String requested_token_type) {
    }

    /** RFC 8693 section 2.2.1: {@code scope} only when one was asked for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenExchangeAnswer(String access_token, String issued_token_type, String token_type, long expires_in,
                               @Schema(description = "The token's scope, when one was asked for") String scope) {
    }

    private final TokenExchanges exchanges;
    private final TokenExchangeErrors errors;

    TokenExchangeController(TokenExchanges exchanges, TokenExchangeErrors errors) {
        this.exchanges = exchanges;
        this.errors = errors;
    }

    @Refusals({"400 invalid_request", "400 invalid_grant", "400 invalid_target", "400 invalid_scope",
        "400 unsupported_grant_type", "429 too-many-refusals"})
    @Operation(operationId = "exchangeToken",
            summary = "Exchange an external identity's JWT (a CI job's OIDC token) for a short-lived service-account "
            + "token (RFC 8693; no authentication: the JWT is the credential)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
                    schema = @Schema(implementation = TokenExchangeForm.class))))
    @ApiResponse(responseCode = "200", description = "RFC 8693 section 2.2: the token, which lives expires_in seconds",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = TokenExchangeAnswer.class)))
    @ApiResponse(responseCode = "400", description = "RFC 6749 section 5.2", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(ref = OAuthErrors.SCHEMA)))
    @ApiResponse(responseCode = "429", description = "Too many refused exchanges from this address",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(ref = OAuthErrors.SCHEMA)))
    @SecurityRequirements // none
    // any content type: one that is not a form is answered here, as OAuth's invalid_request, not as a 415 problem
    @PostMapping(path = OAuthErrors.TOKEN_EXCHANGE_PATH,
            consumes = {MediaType.APPLICATION_FORM_URLENCODED_VALUE, MediaType.ALL_VALUE})
    ResponseEntity<TokenExchangeAnswer> exchange(HttpServletRequest request, AuditContext audit) throws IOException {
        errors.requireRoom(request);
        if (!TokenExchangeErrors.isForm(request)) {
            throw TokenExchangeErrors.notAForm();
        }
        ExchangeRequest form = ExchangeRequest.of(FormFields.read(request));
        if (request.getQueryString() != null) {
            throw ExchangeRefusal.invalidRequest("malformed-request", "The token endpoint takes no query parameters: "
                    + "send every field in the form body, never a JWT in a URL.");
        }
        TokenExchanges.Issued issued = exchanges.exchange(form, new ExchangeAttempt(audit));
        errors.issued();
        // Cache-Control: no-store, as on every answer (NoStoreFilter), as RFC 6749 section 5.1 asks
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(new TokenExchangeAnswer(issued.secret(), ExchangeRequest.ACCESS_TOKEN_TYPE, "Bearer",
                        issued.expiresInSeconds(), scope(issued.scope())));
    }

    private static String scope(TokenScope scope) {
        return scope == null ? null : TokenScope.wireNames(scope).entrySet().stream()
                .map(entry -> entry.getKey() + ":" + entry.getValue()).collect(Collectors.joining(" "));
    }

    /** Every failure of this endpoint, whatever raised it, as an OAuth error ({@link TokenExchangeErrors}). */
    @org.springframework.web.bind.annotation.ExceptionHandler(Exception.class)
    ResponseEntity<Object> refused(Exception e, HttpServletRequest request) {
        return errors.answer(e, request);
    }
}
