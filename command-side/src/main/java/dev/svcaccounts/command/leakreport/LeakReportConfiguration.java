package dev.svcaccounts.command.leakreport;

import dev.svcaccounts.credentials.LeakedTokens;
import dev.svcaccounts.infra.throttle.ClusterCounters;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;

/**
 * The leaked-token report's budget per client address: {@code svcaccounts.throttle.leak-reports.*}
 * (LEAK_REPORT_LIMIT, LEAK_REPORT_WINDOW; 0 turns it off). Shared between the nodes by the throttles' sync, which
 * takes every {@link ClusterCounters}; and the look-up of reported tokens, which only this application needs.
 */
@Configuration(proxyBeanMethods = false)
class LeakReportConfiguration {

    static final String LEAK_REPORTS = "leak-reports";
    /** Addresses counted at once per node. */
    private static final int MAX_KEYS = 100_000;

    @Bean(LEAK_REPORTS)
    ClusterCounters leakReportCounters(@Value("${svcaccounts.throttle.leak-reports.limit:60}") long limit,
                                       @Value("${svcaccounts.throttle.leak-reports.window:1h}") Duration window,
                                       Clock clock) {
        return new ClusterCounters(LEAK_REPORTS, limit, window, clock, MAX_KEYS);
    }

    @Bean
    LeakedTokens leakedTokens(JdbcTemplate jdbc, Clock clock) {
        return new LeakedTokens(jdbc, clock);
    }
}
