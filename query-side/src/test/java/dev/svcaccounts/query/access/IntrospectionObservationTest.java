package dev.svcaccounts.query.access;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.filter.ServerHttpObservationFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link IntrospectionObservation} records what Spring's filter records: the same requests (the route's answers, a
 * refusal before the route, exceptions, a request the route does not take) through Spring's
 * {@link ServerHttpObservationFilter} and through it, each on its own Prometheus registry configured alike, give the
 * same scrape, series by series, with the in-progress timer's series seen while each request runs; only the measured
 * times differ (sums and maxima are masked).
 */
class IntrospectionObservationTest {

    private static final Pattern TIMED_VALUE =
            Pattern.compile("(?m)^(\\S*(?:_sum|_max|_active_seconds_duration_sum)\\{[^}]*\\}) .*$");

    @Test
    void theDirectPath_recordsTheSeriesSpringsFilterRecords() throws Exception {
        Side spring = new Side(false);
        Side direct = new Side(true);
        for (Side side : List.of(spring, direct)) {
            for (int i = 0; i < 3; i++) {
                side.run(taken(), answer(200));
            }
            side.run(taken(), answer(401));
            side.run(taken(), answer(503));
            side.run(taken(), (request, response) -> ((HttpServletResponse) response).setStatus(401)); // a filter
            side.run(taken(), (request, response) -> request.setAttribute(RequestDispatcher.ERROR_EXCEPTION,
                    new IllegalStateException("resolved")));
            assertThatThrownBy(() -> side.run(taken(), (request, response) -> {
                routeSetsPattern(request);
                throw new IllegalArgumentException("thrown");
            })).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> side.run(taken(), (request, response) -> {
                throw new ServletException("wrapped", new IOException("cause"));
            })).isInstanceOf(ServletException.class);
            MockHttpServletRequest get = taken();
            get.setMethod("GET");
            side.run(get, answer(405));
            MockHttpServletRequest other = taken();
            other.setRequestURI("/v1/other");
            side.run(other, answer(200));
        }

        assertThat(spring.observations.get()).isEqualTo(11);
        assertThat(direct.observations.get()).as("only for the requests the route does not take").isEqualTo(2);
        assertThat(direct.scrapes).as("while each request runs").isEqualTo(spring.scrapes);
        assertThat(direct.scrape()).contains("http_server_requests_seconds_bucket{")
                .contains("uri=\"/v1/introspect\"").contains("error=\"IllegalArgumentException\"")
                .isEqualTo(spring.scrape());
    }

    private static MockHttpServletRequest taken() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", IntrospectionRoute.PATH);
        request.setContentType("application/x-www-form-urlencoded");
        assertThat(IntrospectionRoute.takes(request)).isTrue();
        return request;
    }

    /** What the route does for an answer: the pattern on the observation's context, then the status. */
    private static FilterChain answer(int status) {
        return (request, response) -> {
            routeSetsPattern(request);
            ((HttpServletResponse) response).setStatus(status);
        };
    }

    private static void routeSetsPattern(jakarta.servlet.ServletRequest request) {
        ServerHttpObservationFilter.findObservationContext((jakarta.servlet.http.HttpServletRequest) request)
                .orElseThrow().setPathPattern(IntrospectionRoute.PATH);
    }

    /**
     * One filter on its own registry, configured as the query side's (a common tag, histogram buckets: here long ones,
     * so that every request, however slow on a loaded machine, falls in the same buckets on both sides).
     */
    private static final class Side {

        private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        private final ServerHttpObservationFilter filter;
        private final List<String> scrapes = new ArrayList<>();
        private final AtomicInteger observations = new AtomicInteger();

        Side(boolean direct) {
            meters.config().commonTags("application", "query-side").meterFilter(new MeterFilter() {
                @Override
                public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                    return id.getType() != Meter.Type.TIMER ? config : DistributionStatisticConfig.builder()
                            .serviceLevelObjectives(Duration.ofSeconds(10).toNanos(), Duration.ofSeconds(20).toNanos())
                            .build().merge(config);
                }
            });
            ObservationRegistry observations = ObservationRegistry.create();
            observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters))
                    .observationHandler(new ObservationHandler<>() {
                        @Override
                        public boolean supportsContext(Observation.Context context) {
                            return true;
                        }

                        @Override
                        public void onStart(Observation.Context context) {
                            Side.this.observations.incrementAndGet();
                        }
                    });
            DefaultServerRequestObservationConvention convention = new DefaultServerRequestObservationConvention();
            filter = direct ? new IntrospectionObservation(observations, convention, meters, true)
                    : new ServerHttpObservationFilter(observations, convention);
        }

        void run(MockHttpServletRequest request, FilterChain chain) throws Exception {
            MockHttpServletResponse response = new MockHttpServletResponse();
            filter.doFilter(request, response, (req, res) -> {
                scrapes.add(scrape());
                chain.doFilter(req, res);
            });
        }

        String scrape() {
            return TIMED_VALUE.matcher(meters.scrape()).replaceAll("$1 (time)");
        }
    }
}
