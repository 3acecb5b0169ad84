package dev.svcaccounts.query.processor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * {@code svcaccounts_processor_lag_events{processor=...}}: events the processor still has to handle. The
 * processors exist only once Axon has started, so the gauges are registered when the application is ready.
 */
@Component
class ProcessorLagMetrics {

    private final ProcessorProgress progress;
    private final MeterRegistry registry;

    ProcessorLagMetrics(ProcessorProgress progress, MeterRegistry registry) {
        this.progress = progress;
        this.registry = registry;
    }

    @EventListener(ApplicationReadyEvent.class)
    void registerGauges() {
        progress.processors().forEach((name, processor) ->
                Gauge.builder("svcaccounts.processor.lag.events", processor, progress::lag)
                        .tag("processor", name)
                        .description("Events between the head of the event store and this processor's slowest segment")
                        .register(registry));
    }
}
