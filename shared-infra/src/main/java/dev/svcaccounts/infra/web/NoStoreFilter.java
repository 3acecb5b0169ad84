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
 * No answer of ours may be kept by a cache, shared or private: some show a token's secret once (creating a
 * workspace, an account or a member, issuing a token, reactivating), the others show who may do what, which must
 * never be answered stale. RFC 6749 §5.1 asks the same of token answers. A handler may still set its own.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class NoStoreFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache"); // for HTTP/1.0 caches
        chain.doFilter(request, response);
    }
}
