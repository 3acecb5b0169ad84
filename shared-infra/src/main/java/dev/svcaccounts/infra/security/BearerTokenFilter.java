package dev.svcaccounts.infra.security;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.CredentialStore;
import dev.svcaccounts.credentials.TokenUsageRecorder;
import dev.svcaccounts.infra.audit.RefusalRecorder;
import dev.svcaccounts.infra.throttle.FailedAuthentications;
import dev.svcaccounts.infra.web.Challenges;
import dev.svcaccounts.infra.web.DatabaseOutage;
import dev.svcaccounts.infra.web.OAuthErrors;
import dev.svcaccounts.infra.web.Problems;
import dev.svcaccounts.refusals.DomainRuleException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;

/**
 * Every request but health, metrics, API docs and the audit public key needs {@code Authorization: Bearer <token>}.
 * A missing, malformed, unknown, revoked or expired token gets the same 401, so the answer says nothing about which;
 * its {@code WWW-Authenticate} says {@code error="invalid_token"} when a bearer token was sent ({@link Challenges}). An
 * address that has failed too often gets 429 instead, before its token is looked at ({@link FailedAuthentications}).
 * <p>
 * {@code /v1/introspect} alone also takes a client's credentials (RFC 7662 §2.1): a request there without a bearer
 * token goes on unauthenticated, and the introspection endpoint authenticates the client itself; its 401s are
 * OAuth error responses ({@link OAuthErrors}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class BearerTokenFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";
    /**
     * The command side's report of leaked tokens: anyone who finds a token may report it, so no authentication is
     * asked for, and an {@code Authorization} header sent there is not looked at.
     */
    public static final String LEAKED_CREDENTIALS_REPORT = "/v1/credentials/revoke";
    /**
     * The query side's public key of the audit checkpoints: what an auditor pins, public like a certificate, so no
     * authentication is asked for.
     */
    public static final String AUDIT_PUBLIC_KEY = "/v1/audit/public-key";

    private final CredentialStore credentials;
    private final Problems problems;
    private final TokenUsageRecorder usage;
    private final RefusalRecorder refusals;
    private final FailedAuthentications failedAuthentications;
    private final OperatorBearer operatorBearer;

    public BearerTokenFilter(CredentialStore credentials, Problems problems, TokenUsageRecorder usage,
                             RefusalRecorder refusals, FailedAuthentications failedAuthentications,
                             OperatorBearer operatorBearer) {
        this.credentials = credentials;
        this.problems = problems;
        this.usage = usage;
        this.refusals = refusals;
        this.failedAuthentications = failedAuthentications;
        this.operatorBearer = operatorBearer;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/")
                || path.equals("/actuator/prometheus") || path.equals("/actuator/info")
                || path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui")
                || path.equals("/error") || path.equals(LEAKED_CREDENTIALS_REPORT) || path.equals(AUDIT_PUBLIC_KEY)
                || path.equals(OAuthErrors.TOKEN_EXCHANGE_PATH); // the JWT in its form is the credential
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        boolean introspection = OAuthErrors.isIntrospection(request);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            if (introspection) {
                chain.doFilter(request, response); // client authentication (Basic or form), or a 401 there
                return;
            }
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, Challenges.bearer());
            problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated",
                    "Send an API token as 'Authorization: Bearer <token>'.");
            return;
        }
        String secret = header.substring(BEARER.length()).trim();
        if (failedAuthentications.refused(request, secret, response)) {
            return; // 429: this address failed too often; its token is not even looked at
        }
        if (introspection && OperatorBearer.reachesEndpoint(request) && CredentialStore.isOperatorSecret(secret)) {
            // checked by the introspection endpoint, in the statement that reads the token (OperatorBearer)
            OperatorBearer.defer(request, secret);
            chain.doFilter(request, response);
            return;
        }
        Optional<AuthenticatedPrincipal> principal;
        try {
            principal = credentials.authenticate(secret);
        } catch (DomainRuleException busy) { // too many operator credentials being checked at once
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(busy.retryAfterSeconds()));
            problems.write(response, HttpStatus.valueOf(busy.kind().status()), busy.code(), "Service Unavailable",
                    busy.getMessage());
            return;
        } catch (RuntimeException e) {
            DatabaseOutage.Kind outage = DatabaseOutage.of(e).orElseThrow(() -> e);
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(outage.retryAfterSeconds()));
            problems.write(response, HttpStatus.SERVICE_UNAVAILABLE, outage.code(), "Service Unavailable",
                    outage.detail());
            return;
        }
        if (principal.isEmpty()) {
            if (introspection) {
                operatorBearer.refuse(request, response, secret);
                return;
            }
            failedAuthentications.failed(request);
            refusals.unauthenticated(request, secret); // recorded only for a token that once worked
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, Challenges.invalidToken(OperatorBearer.INVALID_DETAIL));
            problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated",
                    OperatorBearer.INVALID_DETAIL);
            return;
        }
        failedAuthentications.succeeded(secret);
        request.setAttribute(AuthenticatedPrincipal.REQUEST_ATTRIBUTE, principal.get());
        usage.record(principal.get(), request.getRemoteAddr());
        chain.doFilter(request, response);
    }
}
