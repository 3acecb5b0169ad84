package dev.svcaccounts.infra.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Refuses, before authentication and before anything is recorded, a request whose path or query string is not
 * canonical ({@link RequestTarget}) or whose stored headers could not be stored as sent ({@link StoredHeaders}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class StrictRequestFilter extends OncePerRequestFilter {

    private final Problems problems;

    public StrictRequestFilter(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            RequestTarget.checkPath(request.getRequestURI());
            RequestTarget.parameters(request.getQueryString());
            StoredHeaders.check(request);
        } catch (DomainRuleException refused) {
            problems.write(response, refused);
            return;
        }
        chain.doFilter(request, response);
    }
}
