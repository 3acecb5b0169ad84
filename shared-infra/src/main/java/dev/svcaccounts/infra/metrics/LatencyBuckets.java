package dev.svcaccounts.infra.metrics;

import java.time.Duration;

/**
 * The histogram buckets of every latency this service publishes: HTTP requests (set in
 * {@code svcaccounts-defaults.yml}, the same list), command handling and event-store appends. Fixed and few, so that
 * {@code histogram_quantile} works in PromQL at a bounded cost: 13 buckets and +Inf per series, from 1 ms (an
 * introspection answered from memory) to 10 s (past every time limit a request has).
 */
public final class LatencyBuckets {

    public static final Duration[] BOUNDARIES = {
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)};

    private LatencyBuckets() {
    }
}
