package dev.svcaccounts.infra.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import org.springframework.stereotype.Component;

import java.util.Arrays;

/**
 * {@code http_server_requests_seconds} as a Prometheus histogram with the buckets of {@link LatencyBuckets}, so
 * that {@code histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket[5m])))} works.
 * Spring Boot applies every {@link MeterFilter} bean to the registry. It also gets a help text.
 */
@Component
class HttpLatencyHistogram implements MeterFilter {

    static final String HTTP_SERVER_REQUESTS = "http.server.requests";

    private static final double[] BOUNDARIES_NANOS =
            Arrays.stream(LatencyBuckets.BOUNDARIES).mapToDouble(d -> (double) d.toNanos()).toArray();

    /** Spring gives these two no help text, which {@code promtool check metrics} reports. */
    @Override
    public Meter.Id map(Meter.Id id) {
        if (id.getDescription() != null) {
            return id;
        }
        if (HTTP_SERVER_REQUESTS.equals(id.getName())) {
            return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                    "HTTP requests answered, by route template (uri), method, status and outcome", id.getType());
        }
        if ((HTTP_SERVER_REQUESTS + ".active").equals(id.getName())) {
            return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                    "HTTP requests in progress", id.getType());
        }
        return id;
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() != Meter.Type.TIMER || !HTTP_SERVER_REQUESTS.equals(id.getName())) {
            return config;
        }
        return DistributionStatisticConfig.builder().serviceLevelObjectives(BOUNDARIES_NANOS).build().merge(config);
    }
}
