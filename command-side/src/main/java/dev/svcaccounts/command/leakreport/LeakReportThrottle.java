package dev.svcaccounts.command.leakreport;

import dev.svcaccounts.infra.security.BearerTokenFilter;
import dev.svcaccounts.infra.throttle.ClientAddresses;
import dev.svcaccounts.infra.throttle.ClusterCounters;
import dev.svcaccounts.infra.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * The leaked-token report's own budget per client address (IPv6: per /64), across the cluster, as the other throttles
 * count ({@link ClusterCounters}, shared every second): every request to it counts, a malformed one too, before its
 * body is read. Beyond it, 429 {@code too-many-reports} with Retry-After. Its own budget, so that neither a flood of
 * reports nor the other limits stand in each other's way.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 12) // after the strict request checks and the (skipped) authentication
class LeakReportThrottle extends OncePerRequestFilter {

    static final String CODE = "too-many-reports";

    private final ClusterCounters counters;
    private final Problems problems;

    LeakReportThrottle(@Qualifier(LeakReportConfiguration.LEAK_REPORTS) ClusterCounters counters, Problems problems) {
        this.counters = counters;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !counters.enabled()
                || !request.getRequestURI().equals(BearerTokenFilter.LEAKED_CREDENTIALS_REPORT);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        OptionalLong wait = counters.tryAcquire(ClientAddresses.key(request.getRemoteAddr()));
        if (wait.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, (wait.getAsLong() + 999) / 1000);
        ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, CODE, "Too Many Requests",
                "More than " + counters.limit() + " leaked-token reports in " + counters.window().toSeconds()
                        + " seconds came from this address; retry after " + seconds + " seconds.");
        problem.setProperty("limit", counters.limit());
        problem.setProperty("windowSeconds", counters.window().toSeconds());
        problem.setProperty("retryAfterSeconds", seconds);
        response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        problems.write(response, problem, MediaType.APPLICATION_PROBLEM_JSON);
    }
}
