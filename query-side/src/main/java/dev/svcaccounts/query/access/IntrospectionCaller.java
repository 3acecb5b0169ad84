package dev.svcaccounts.query.access;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.IntrospectionClients;
import dev.svcaccounts.infra.security.OperatorBearer;
import dev.svcaccounts.infra.throttle.FailedAuthentications;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Who may introspect: the operator's bearer credential (authenticated by {@code BearerTokenFilter}, as before), or
 * an introspection client the operator registered, by {@code client_secret_basic} or {@code client_secret_post}
 * (RFC 6749 §2.3.1). One method per request. A failed client authentication counts as a failed authentication of
 * the address ({@link FailedAuthentications}), and a throttled address gets 429 before the client is looked at.
 */
@Component
class IntrospectionCaller {

    static final String CLIENT_ID = "client_id";
    static final String CLIENT_SECRET = "client_secret";
    private static final String BASIC = "Basic ";
    private static final String HOW = "Authenticate as an introspection client (HTTP Basic, or form fields client_id "
            + "and client_secret) or with the operator credential as a bearer token.";

    private final IntrospectionClients clients;
    private final FailedAuthentications failedAuthentications;

    IntrospectionCaller(IntrospectionClients clients, FailedAuthentications failedAuthentications) {
        this.clients = clients;
        this.failedAuthentications = failedAuthentications;
    }

    /** Returns if the caller may introspect; throws the 400, 401 or 429 to answer otherwise. */
    void authenticate(HttpServletRequest request, Map<String, String> form) {
        boolean posted = form.containsKey(CLIENT_ID) || form.containsKey(CLIENT_SECRET);
        if (OperatorBearer.pending(request) != null) {
            // the operator's bearer credential, checked with the token's statement (IntrospectionController)
            if (posted) {
                throw moreThanOneMethod();
            }
            return;
        }
        if (request.getAttribute(AuthenticatedPrincipal.REQUEST_ATTRIBUTE) instanceof AuthenticatedPrincipal bearer) {
            if (!bearer.isOperator()) {
                throw IntrospectionError.notAllowed("This token may not introspect: only introspection clients and "
                        + "the operator credential may.");
            }
            if (posted) {
                throw moreThanOneMethod();
            }
            return;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        Credentials credentials;
        if (header != null) {
            if (posted) {
                throw moreThanOneMethod();
            }
            credentials = basic(header);
        } else if (posted) {
            credentials = new Credentials(form.get(CLIENT_ID), form.get(CLIENT_SECRET));
        } else {
            throw IntrospectionError.invalidClient("No client authentication. " + HOW);
        }
        if (credentials == null || credentials.id() == null || credentials.secret() == null) {
            failedAuthentications.failed(request);
            throw IntrospectionError.invalidClient("Malformed client authentication. " + HOW);
        }
        failedAuthentications.refusal(request, credentials.secret()).ifPresent(tooMany -> {
            throw tooMany;
        });
        if (!clients.authenticate(credentials.id(), credentials.secret())) {
            failedAuthentications.failed(request);
            throw IntrospectionError.invalidClient(
                    "Client authentication failed: unknown client, wrong secret, or the client is revoked.");
        }
        failedAuthentications.succeeded(credentials.secret());
    }

    private record Credentials(String id, String secret) {
    }

    /**
     * RFC 6749 §2.3.1: the client id and secret are form-urlencoded, joined by a colon, then base64; null when the
     * header is not that.
     */
    private static Credentials basic(String header) {
        if (!header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return null;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon < 0) {
                return null;
            }
            return new Credentials(URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformed) { // not base64, or a malformed %-escape
            return null;
        }
    }

    private static IntrospectionError moreThanOneMethod() {
        return IntrospectionError.invalidRequest("invalid-request",
                "Use one method of client authentication, not several (RFC 6749, section 2.3).");
    }
}
