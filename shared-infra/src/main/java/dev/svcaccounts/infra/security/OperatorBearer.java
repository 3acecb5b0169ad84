package dev.svcaccounts.infra.security;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.CredentialStore;
import dev.svcaccounts.infra.audit.RefusalRecorder;
import dev.svcaccounts.infra.throttle.FailedAuthentications;
import dev.svcaccounts.infra.web.Challenges;
import dev.svcaccounts.infra.web.OAuthErrors;
import dev.svcaccounts.infra.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.Enumeration;
import java.util.Set;

/**
 * Introspection by the operator's bearer credential, checked by the introspection endpoint instead of
 * {@link BearerTokenFilter}: the statement that reads the token also reads the stored operator credential
 * ({@link CredentialStore#lookupWithAccessAsOperator}), so an introspection is one round trip to PostgreSQL instead of
 * two, and the stored value is still read on every request (a rotation holds on the next one). The filter leaves such
 * a secret {@linkplain #pending pending}; the endpoint either {@linkplain #authenticated authenticates} it or
 * {@linkplain #refuse refuses} it with the filter's own 401, and checks it alone, as the filter would have, before
 * answering any other refusal, so the order of the answers is the filter's. Only a request that reaches the endpoint
 * is left to it ({@link #reachesEndpoint}).
 */
@Component
public class OperatorBearer {

    private static final String PENDING = OperatorBearer.class.getName() + ".pending";
    static final String INVALID_DETAIL =
            "The token is not valid: unknown, revoked, expired, or its account is deactivated.";

    private final CredentialStore credentials;
    private final Problems problems;
    private final RefusalRecorder refusals;
    private final FailedAuthentications failedAuthentications;

    public OperatorBearer(CredentialStore credentials, Problems problems, RefusalRecorder refusals,
                          FailedAuthentications failedAuthentications) {
        this.credentials = credentials;
        this.problems = problems;
        this.refusals = refusals;
        this.failedAuthentications = failedAuthentications;
    }

    /**
     * The {@code Accept} headers for which the endpoint answers JSON with nothing refused first (the bench, curl and
     * Spring Security's resource servers send one of these). Any other is judged by Spring MVC before a handler runs.
     */
    private static final Set<String> JSON_ACCEPTS = Set.of("*/*", "application/json",
            "application/json, application/problem+json");

    /**
     * Whether Spring MVC is certain to hand the request to the introspection endpoint, which then checks the secret:
     * a form POST with no query string and an {@code Accept} of none or one of {@link #JSON_ACCEPTS}. Anything else
     * may be refused before a handler runs (405, 415, 400 for a query string, 406) and must find the secret checked
     * here, as before: 401 first. The query side's short route to the endpoint takes exactly these requests.
     */
    public static boolean reachesEndpoint(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (!"POST".equals(request.getMethod()) || contentType == null || request.getQueryString() != null) {
            return false;
        }
        try {
            if (!MediaType.APPLICATION_FORM_URLENCODED.includes(MediaType.parseMediaType(contentType))) {
                return false;
            }
        } catch (InvalidMediaTypeException malformed) {
            return false;
        }
        Enumeration<String> accept = request.getHeaders(HttpHeaders.ACCEPT);
        if (!accept.hasMoreElements()) {
            return true;
        }
        String only = accept.nextElement();
        return !accept.hasMoreElements() && JSON_ACCEPTS.contains(only);
    }

    /** Leaves {@code secret}, which has the operator credential's shape, for the introspection endpoint to check. */
    static void defer(HttpServletRequest request, String secret) {
        request.setAttribute(PENDING, secret);
    }

    /** The operator-shaped bearer secret not checked yet, or null. */
    public static String pending(HttpServletRequest request) {
        return request.getAttribute(PENDING) instanceof String secret ? secret : null;
    }

    /** The pending secret checked alone (its own statement), as the filter did: true and authenticated, or false. */
    public boolean checkAlone(HttpServletRequest request, String secret) {
        if (credentials.authenticate(secret).isEmpty()) {
            return false;
        }
        authenticated(request, secret);
        return true;
    }

    /** The pending secret is the operator's: recorded as the filter records a principal that authenticated. */
    public void authenticated(HttpServletRequest request, String secret) {
        request.removeAttribute(PENDING);
        failedAuthentications.succeeded(secret);
        request.setAttribute(AuthenticatedPrincipal.REQUEST_ATTRIBUTE, AuthenticatedPrincipal.operator());
    }

    /** The 401 of a bearer secret that does not work, at the introspection endpoint: the filter's own answer. */
    public void refuse(HttpServletRequest request, HttpServletResponse response, String secret) throws IOException {
        failedAuthentications.failed(request);
        refusals.unauthenticated(request, secret); // recorded only for a token that once worked
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, Challenges.invalidToken(INVALID_DETAIL));
        problems.write(response, OAuthErrors.problem(HttpStatus.UNAUTHORIZED, "unauthenticated",
                "Unauthenticated", INVALID_DETAIL, Challenges.INVALID_TOKEN), OAuthErrors.MEDIA_TYPE);
    }
}
