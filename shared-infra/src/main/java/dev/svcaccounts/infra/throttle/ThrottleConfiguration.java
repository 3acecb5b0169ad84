package dev.svcaccounts.infra.throttle;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/**
 * The two throttles' counters, configured by {@code svcaccounts.throttle.*} (WRITE_RATE_LIMIT, WRITE_RATE_WINDOW,
 * AUTH_FAILURE_LIMIT, AUTH_FAILURE_WINDOW in the environment; a limit of 0 turns that throttle off).
 */
@Configuration(proxyBeanMethods = false)
class ThrottleConfiguration {

    static final String WRITES = "writes";
    static final String FAILED_AUTHENTICATIONS = "failed-authentications";
    /** Keys counted at once per kind and node: principals writing, addresses failing. */
    private static final int MAX_KEYS = 100_000;

    @Bean(WRITES)
    ClusterCounters writeCounters(@Value("${svcaccounts.throttle.writes.limit:600}") long limit,
                                  @Value("${svcaccounts.throttle.writes.window:1m}") Duration window, Clock clock) {
        return new ClusterCounters(WRITES, limit, window, clock, MAX_KEYS);
    }

    @Bean(FAILED_AUTHENTICATIONS)
    ClusterCounters failedAuthenticationCounters(
            @Value("${svcaccounts.throttle.failed-authentications.limit:100}") long limit,
            @Value("${svcaccounts.throttle.failed-authentications.window:1m}") Duration window, Clock clock) {
        return new ClusterCounters(FAILED_AUTHENTICATIONS, limit, window, clock, MAX_KEYS);
    }
}
