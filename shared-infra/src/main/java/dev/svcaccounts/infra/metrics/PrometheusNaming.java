package dev.svcaccounts.infra.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import org.springframework.stereotype.Component;

import java.util.Set;

/**
 * Leaves out the few meters of Micrometer's binders that break Prometheus's naming rules, so that {@code promtool
 * check metrics} accepts every scrape: {@code jvm_compilation_time_ms_total} and {@code process_cpu_time_ns_total}
 * (units abbreviated; {@code process_cpu_usage} stays), {@code system_cpu_count} (a gauge ending in {@code _count},
 * which PromQL reads as a histogram's). Tomcat's session meters go too: this API keeps no HTTP session.
 */
@Component
class PrometheusNaming implements MeterFilter {

    private static final Set<String> LEFT_OUT = Set.of("jvm.compilation.time", "process.cpu.time", "system.cpu.count");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return LEFT_OUT.contains(id.getName()) || id.getName().startsWith("tomcat.sessions.")
                ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }
}
