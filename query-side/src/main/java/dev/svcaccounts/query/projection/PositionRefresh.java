package dev.svcaccounts.query.projection;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.springboot.EventProcessorProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A segment with nothing to handle in what it reads (other workspaces' events, or event types its group ignores)
 * writes its position to the token store only when it extends its claim, by default every 5 s; so the positions the
 * status reads from the store would trail by up to that, and a replay would be seen to end that much later. Every
 * second instead, for one small UPDATE per idle segment per second (the claim timeout stays 10 s).
 */
@Configuration(proxyBeanMethods = false)
class PositionRefresh {

    static final long STORE_POSITION_EVERY_MILLIS = 1000;

    @Bean
    ConfigurerModule storeIdlePositionsEverySecond(EventProcessorProperties properties) {
        return configurer -> configurer.eventProcessing(processing ->
                properties.getProcessors().keySet().forEach(name ->
                        processing.registerPooledStreamingEventProcessorConfiguration(name,
                                (configuration, builder) ->
                                        builder.claimExtensionThreshold(STORE_POSITION_EVERY_MILLIS))));
    }
}
