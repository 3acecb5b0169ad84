package dev.svcaccounts.infra.web;

import dev.svcaccounts.refusals.DomainRuleException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Gives every request an id of our own, unique whatever the client sends ({@code X-Request-Id} on every response,
 * errors included, and in the audit trail), and keeps the id a client chose to tie our records to its own as the
 * request's correlation id ({@code X-Correlation-Id}, or {@code X-Request-Id} as many clients send it): echoed in
 * {@code X-Correlation-Id}, recorded beside ours, never used as ours. A correlation id that is not 1-128 printable
 * ASCII characters is refused (400), not dropped.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    static final int MAX_CORRELATION_LENGTH = 128;
    private static final Pattern ACCEPTABLE = Pattern.compile("[\\x21-\\x7e]([\\x20-\\x7e]{0,126}[\\x21-\\x7e])?");

    private final Problems problems;

    public RequestIdFilter(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = RequestIdSource.next();
        response.setHeader(HEADER, requestId);
        request.setAttribute(RequestIds.ATTRIBUTE, requestId);
        MDC.put(RequestIds.MDC_KEY, requestId);
        try {
            String correlationId;
            try {
                correlationId = correlationId(request);
            } catch (DomainRuleException refused) {
                problems.write(response, refused);
                return;
            }
            if (correlationId != null) {
                response.setHeader(CORRELATION_HEADER, correlationId);
                request.setAttribute(RequestIds.CORRELATION_ATTRIBUTE, correlationId);
                MDC.put(RequestIds.CORRELATION_MDC_KEY, correlationId);
            }
            chain.doFilter(request, response);
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
            MDC.remove(RequestIds.CORRELATION_MDC_KEY);
        }
    }

    /** The client's correlation id; null when it sent none. */
    static String correlationId(HttpServletRequest request) {
        String correlation = single(request, CORRELATION_HEADER);
        String requestId = single(request, HEADER);
        if (correlation != null && requestId != null && !correlation.equals(requestId)) {
            throw DomainRuleException.invalid("invalid-header", "Send your correlation id in " + CORRELATION_HEADER
                    + " or in " + HEADER + ", not two different ones.");
        }
        return correlation != null ? correlation : requestId;
    }

    private static String single(HttpServletRequest request, String header) {
        List<String> values = Collections.list(request.getHeaders(header));
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1 || !ACCEPTABLE.matcher(values.get(0)).matches()) {
            throw DomainRuleException.invalid("invalid-header", "Header " + header + " must be sent once, as 1-"
                    + MAX_CORRELATION_LENGTH + " printable ASCII characters (it is your correlation id; "
                    + "the request id in our answers and records is always our own).");
        }
        return values.get(0);
    }
}
