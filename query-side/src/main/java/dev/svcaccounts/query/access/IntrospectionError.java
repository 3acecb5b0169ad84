package dev.svcaccounts.query.access;

import dev.svcaccounts.infra.web.Challenges;
import dev.svcaccounts.infra.web.OAuthErrors;
import dev.svcaccounts.refusals.DomainRuleException;
import org.springframework.http.HttpStatus;

import java.util.List;

/**
 * An error answer of {@code /v1/introspect} in the OAuth form ({@link OAuthErrors}): {@code invalid_request} (400),
 * {@code invalid_client} (401, challenging with Basic, RFC 6749 §5.2), or a bearer that may not introspect
 * ({@code invalid_token}, 401 as RFC 7662 §2.3 asks, not 403).
 */
final class IntrospectionError extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String error;
    private final List<String> challenges;

    private IntrospectionError(HttpStatus status, String code, String error, String detail, List<String> challenges) {
        super(detail);
        this.status = status;
        this.code = code;
        this.error = error;
        this.challenges = challenges;
    }

    static IntrospectionError invalidRequest(String code, String detail) {
        return new IntrospectionError(HttpStatus.BAD_REQUEST, code, OAuthErrors.INVALID_REQUEST, detail, List.of());
    }

    /** Bad input found by the shared parsers is OAuth's invalid_request here; any other refusal stays as it is. */
    static RuntimeException inOAuthForm(DomainRuleException refused) {
        return refused.kind() == DomainRuleException.Kind.INVALID
                ? invalidRequest(refused.code(), refused.getMessage()) : refused;
    }

    /** Client authentication failed, or none was sent: every scheme this endpoint takes is challenged. */
    static IntrospectionError invalidClient(String detail) {
        return new IntrospectionError(HttpStatus.UNAUTHORIZED, "invalid-client", OAuthErrors.INVALID_CLIENT, detail,
                List.of(Challenges.basic(), Challenges.bearer()));
    }

    static IntrospectionError notAllowed(String detail) {
        return new IntrospectionError(HttpStatus.UNAUTHORIZED, "introspection-not-allowed", Challenges.INVALID_TOKEN,
                detail, List.of(Challenges.invalidToken(detail)));
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    String error() {
        return error;
    }

    List<String> challenges() {
        return challenges;
    }

    String title() {
        return status == HttpStatus.BAD_REQUEST ? "Bad Request" : "Unauthenticated";
    }
}
