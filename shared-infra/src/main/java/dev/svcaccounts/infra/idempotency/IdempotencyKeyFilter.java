package dev.svcaccounts.infra.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.infra.metrics.ProblemCounter;
import dev.svcaccounts.infra.metrics.RouteTemplates;
import dev.svcaccounts.infra.web.DatabaseOutage;
import dev.svcaccounts.infra.web.Problems;
import dev.svcaccounts.refusals.DomainRuleException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Optional;

/**
 * The first step of a write with an {@code Idempotency-Key}, right after authentication: checks the key (400),
 * fingerprints the request, and answers a key already used with the first answer (or 422 when it stood for another
 * request) before anything else runs, so a retry is neither re-authorised against changed roles nor re-recorded.
 * Otherwise it leaves a {@link KeyedRequest} for the write, which stores its answer in its own transaction.
 * Requests without the header pass untouched, at no cost.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class IdempotencyKeyFilter extends OncePerRequestFilter {

    /** Far above any body of this API; a keyed body is held in memory to fingerprint it. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final IdempotencyKeys keys;
    private final ObjectProvider<KeyedWrites> keyedWrites;
    private final Problems problems;
    private final ProblemCounter counter;
    private final RouteTemplates routes;
    private final ObjectMapper json;

    public IdempotencyKeyFilter(IdempotencyKeys keys, ObjectProvider<KeyedWrites> keyedWrites, Problems problems,
                                ProblemCounter counter, RouteTemplates routes) {
        this.keys = keys;
        this.keyedWrites = keyedWrites;
        this.problems = problems;
        this.counter = counter;
        this.routes = routes;
        this.json = keys.json();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getHeader(IdempotencyKey.HEADER) == null) {
            // most requests: no lookup at all (resolving the bean alone cost 3% of an introspection's CPU)
            chain.doFilter(request, response);
            return;
        }
        Object principal = request.getAttribute(AuthenticatedPrincipal.REQUEST_ATTRIBUTE);
        KeyedWrites writes = keyedWrites.getIfAvailable();
        if (!(principal instanceof AuthenticatedPrincipal caller)
                || writes == null || !writes.covers(request.getMethod(), request.getRequestURI())) {
            chain.doFilter(request, response);
            return;
        }
        KeyedRequest keyed;
        byte[] body;
        try {
            IdempotencyKey key = IdempotencyKey.parse(Collections.list(request.getHeaders(IdempotencyKey.HEADER)));
            body = readBody(request);
            String path = pathAndQuery(request);
            keyed = new KeyedRequest(KeyScope.of(caller), key, Fingerprint.of(request.getMethod(), path, body),
                    request.getMethod(), path);
            Optional<StoredAnswer> earlier = keys.find(keyed);
            if (earlier.isPresent()) {
                routes.nameRoute(request); // counted under its route, as the first answer was
                write(response, earlier.get().replayFor(keyed, json));
                return;
            }
        } catch (DomainRuleException refused) {
            writeProblem(response, refused);
            return;
        } catch (BodyTooLarge tooLarge) {
            problems.write(response, HttpStatus.PAYLOAD_TOO_LARGE, "request-too-large", "Payload Too Large",
                    "A request with " + IdempotencyKey.HEADER + " may have a body of at most " + MAX_BODY_BYTES
                            + " bytes.");
            return;
        } catch (RuntimeException e) {
            if (!DatabaseOutage.causedBy(e)) {
                throw e;
            }
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(DatabaseOutage.RETRY_AFTER_SECONDS));
            problems.write(response, HttpStatus.SERVICE_UNAVAILABLE, DatabaseOutage.CODE, "Service Unavailable",
                    DatabaseOutage.DETAIL);
            return;
        }
        request.setAttribute(KeyedRequest.ATTRIBUTE, keyed);
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    /** The path as the client sent it (percent-encoding and all) with its query, if any. */
    private static String pathAndQuery(HttpServletRequest request) {
        String query = request.getQueryString();
        return query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
    }

    private static byte[] readBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            throw new BodyTooLarge();
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        InputStream in = request.getInputStream();
        byte[] buffer = new byte[8192];
        for (int read; (read = in.read(buffer)) != -1; ) {
            body.write(buffer, 0, read);
            if (body.size() > MAX_BODY_BYTES) {
                throw new BodyTooLarge();
            }
        }
        return body.toByteArray();
    }

    private void write(HttpServletResponse response, ResponseEntity<Object> answer) throws IOException {
        response.setStatus(answer.getStatusCode().value());
        answer.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        if (answer.getBody() instanceof String body) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** As {@code ProblemHandler} answers a {@link DomainRuleException}, for this filter, which runs before it. */
    private void writeProblem(HttpServletResponse response, DomainRuleException e) throws IOException {
        HttpStatus status = HttpStatus.valueOf(e.kind().status());
        ProblemDetail problem = Problems.of(status, e.code(), status.getReasonPhrase(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        if (e.retryAfterSeconds() != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        counter.count(problem);
        json.writeValue(response.getOutputStream(), problem);
    }

    private static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super(null, null, false, false);
        }
    }
}
