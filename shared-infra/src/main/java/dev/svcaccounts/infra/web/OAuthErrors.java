package dev.svcaccounts.infra.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * The error answers (400, 401) of {@code /v1/introspect}, read by OAuth libraries: an RFC 6749 §5.2 error response
 * that is also our RFC 9457 problem document. The body has the problem's members (type, title, status, detail,
 * requestId) and OAuth's {@code error} and {@code error_description}; its media type is {@code application/json},
 * because OAuth clients read no other: Nimbus' {@code ErrorObject.parse} reads a body only as
 * {@code application/json} (an {@code application/problem+json} error comes out with no code at all).
 */
public final class OAuthErrors {

    public static final String INTROSPECTION_PATH = "/v1/introspect";
    /**
     * The command side's token exchange (RFC 8693): no authentication (the JWT in its form is the credential), and
     * every error answered in this form, its own 400s and 429 and those of the checks every endpoint makes.
     */
    public static final String TOKEN_EXCHANGE_PATH = "/v1/token";
    public static final MediaType MEDIA_TYPE = MediaType.APPLICATION_JSON;
    /** The OpenAPI schema of the token exchange's errors ({@link ApiComponents}). */
    public static final String SCHEMA = "#/components/schemas/OAuthError";
    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_CLIENT = "invalid_client";

    private OAuthErrors() {
    }

    public static boolean isTokenExchange(HttpServletRequest request) {
        return TOKEN_EXCHANGE_PATH.equals(request.getRequestURI().substring(request.getContextPath().length()));
    }

    public static boolean isIntrospection(HttpServletRequest request) {
        return INTROSPECTION_PATH.equals(request.getRequestURI().substring(request.getContextPath().length()));
    }

    /** A problem document with OAuth's {@code error} and {@code error_description} members. */
    public static ProblemDetail problem(HttpStatus status, String code, String title, String detail, String error) {
        ProblemDetail problem = Problems.of(status, code, title, detail);
        problem.setProperty("error", error);
        problem.setProperty("error_description", Challenges.description(detail));
        return problem;
    }
}
