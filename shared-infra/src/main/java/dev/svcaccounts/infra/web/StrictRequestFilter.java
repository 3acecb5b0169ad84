package dev.svcaccounts.infra.web;

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
import java.util.Collections;
import java.util.List;

/**
 * Refuses, before authentication and before anything is recorded, a request whose path or query string is not
 * canonical ({@link RequestTarget}), that sends its credentials or its body's type twice (which one would count?),
 * or whose stored headers could not be stored as sent ({@link StoredHeaders}), and TRACE, which would echo the
 * request's credentials back.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class StrictRequestFilter extends OncePerRequestFilter {

    private static final List<String> SENT_ONCE = List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE);

    private final Problems problems;

    public StrictRequestFilter(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ("TRACE".equals(request.getMethod())) {
            problems.write(response, HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method Not Allowed",
                    "TRACE is not served.");
            return;
        }
        try {
            RequestTarget.checkPath(request.getRequestURI());
            RequestTarget.parameters(request.getQueryString());
            for (String header : SENT_ONCE) {
                if (Collections.list(request.getHeaders(header)).size() > 1) {
                    throw DomainRuleException.invalid("invalid-header",
                            "Header " + header + " is sent more than once.");
                }
            }
            StoredHeaders.check(request);
        } catch (DomainRuleException refused) {
            problems.write(response, refused);
            return;
        }
        chain.doFilter(request, response);
    }
}
