package dev.svcaccounts.infra.throttle;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A rate limit on writes (every method but GET, HEAD and OPTIONS, on both sides) per principal of a workspace:
 * at most {@code WRITE_RATE_LIMIT} in any {@code WRITE_RATE_WINDOW} across the cluster, then 429 with Retry-After
 * and a {@code rate-limited} problem. Every write attempt counts, refused or not, as it costs the same. Keyed by
 * workspace, principal type and id, so a user of two workspaces has a budget in each. The operator is exempt: it is
 * the platform's own automation (provisioning workspaces in bulk, replays, introspection, which is a POST and the
 * hottest path), one credential that a limit would throttle the whole platform by, and whoever holds it can do
 * worse than write fast.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 11) // right after BearerTokenFilter has authenticated the request
public class WriteRateLimitFilter extends OncePerRequestFilter {

    static final String CODE = "rate-limited";
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final ClusterCounters counters;
    private final TooManyRequests tooManyRequests;

    public WriteRateLimitFilter(@Qualifier(ThrottleConfiguration.WRITES) ClusterCounters counters,
                                TooManyRequests tooManyRequests) {
        this.counters = counters;
        this.tooManyRequests = tooManyRequests;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !counters.enabled() || READS.contains(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getAttribute(AuthenticatedPrincipal.REQUEST_ATTRIBUTE) instanceof AuthenticatedPrincipal principal
                && !principal.isOperator() && principal.workspaceId() != null) {
            OptionalLong wait = counters.tryAcquire(key(principal));
            if (wait.isPresent()) {
                long seconds = TooManyRequests.seconds(wait.getAsLong());
                tooManyRequests.write(response, CODE, "More than " + counters.limit() + " writes in "
                        + counters.window().toSeconds() + " seconds by this " + principal.type().name().toLowerCase()
                        .replace('_', ' ') + " in workspace '" + principal.workspaceId() + "'; retry after "
                        + seconds + " seconds.", seconds,
                        Map.of("limit", counters.limit(), "windowSeconds", counters.window().toSeconds()));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    static String key(AuthenticatedPrincipal principal) {
        return principal.workspaceId() + " " + principal.type().name().toLowerCase() + " " + principal.id();
    }
}
