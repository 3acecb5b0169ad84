package dev.svcaccounts.infra.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Collections;

/**
 * Makes {@code request.getRemoteAddr()} the client's address as {@link TrustedProxies} resolves it, for everything
 * after this filter: the audit metadata, refusal records, the tokens' last use, rate limits by address. Nothing
 * else in the applications reads {@code X-Forwarded-For}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class ClientAddressFilter extends OncePerRequestFilter {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    private final TrustedProxies trustedProxies;

    public ClientAddressFilter(@Value("${svcaccounts.trusted-proxies:}") String trustedProxies) {
        this.trustedProxies = TrustedProxies.parse(trustedProxies);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (trustedProxies.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        String client = trustedProxies.clientAddress(request.getRemoteAddr(),
                Collections.list(request.getHeaders(FORWARDED_FOR)));
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getRemoteAddr() {
                return client;
            }

            @Override
            public String getRemoteHost() {
                return client;
            }
        }, response);
    }
}
