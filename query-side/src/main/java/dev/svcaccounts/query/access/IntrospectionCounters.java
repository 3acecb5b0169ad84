package dev.svcaccounts.query.access;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code svcaccounts_introspections_total{result, reason}}: introspections answered {@code active} or
 * {@code inactive} (counted by {@link IntrospectionController} as it answers), and requests to
 * {@code /v1/introspect} that were {@code refused}, by a reason named after their status ({@code unauthenticated},
 * {@code forbidden}, {@code invalid-request}, {@code too-many-requests}, {@code unavailable}, {@code error};
 * {@code none} for the answered ones). Every series is registered at start; a request costs one increment.
 */
@Configuration(proxyBeanMethods = false)
class IntrospectionCounters {

    static final String PATH = "/v1/introspect";

    private final Counter active;
    private final Counter inactive;
    private final Map<Integer, Counter> refusedByStatus = new HashMap<>();
    private final Counter refusedOther;
    private final Counter failed;

    IntrospectionCounters(MeterRegistry registry) {
        this.active = counter(registry, "active", "none");
        this.inactive = counter(registry, "inactive", "none");
        Counter invalid = counter(registry, "refused", "invalid-request");
        for (int status : new int[] {400, 405, 406, 411, 413, 415}) {
            refusedByStatus.put(status, invalid);
        }
        refusedByStatus.put(401, counter(registry, "refused", "unauthenticated"));
        refusedByStatus.put(403, counter(registry, "refused", "forbidden"));
        refusedByStatus.put(429, counter(registry, "refused", "too-many-requests"));
        refusedByStatus.put(503, counter(registry, "refused", "unavailable"));
        this.refusedOther = counter(registry, "refused", "other");
        this.failed = counter(registry, "refused", "error");
    }

    private static Counter counter(MeterRegistry registry, String result, String reason) {
        return Counter.builder("svcaccounts.introspections")
                .description("Token introspections (POST /v1/introspect): answered active or inactive, or the "
                        + "request refused, by reason")
                .tag("result", result)
                .tag("reason", reason)
                .register(registry);
    }

    void answered(boolean tokenActive) {
        (tokenActive ? active : inactive).increment();
    }

    void finished(int status) {
        if (status < 400) {
            return;
        }
        Counter refused = refusedByStatus.get(status);
        (refused != null ? refused : status >= 500 ? failed : refusedOther).increment();
    }

    /** Counts the refusals, wherever they came from (authentication, a throttle, the controller): by status. */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> introspectionRefusals() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                                    FilterChain chain) throws ServletException, IOException {
                        try {
                            chain.doFilter(request, response);
                        } finally {
                            finished(response.getStatus());
                        }
                    }
                });
        registration.addUrlPatterns(PATH);
        // inside Spring's request observation (+1) and the strict request checks (+2), outside authentication (+10)
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
        registration.setName("introspectionRefusals");
        return registration;
    }
}
