package dev.svcaccounts.query.web;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.filter.ServerHttpObservationFilter;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RequestObservation} records what Spring's filter records: the same requests (the route's answers, a
 * refusal before the route, exceptions, a request the route does not take) through Spring's
 * {@link ServerHttpObservationFilter} and through it, each on its own Prometheus registry configured alike, give the
 * same scrape, series by series, with the in-progress timer's series seen while each request runs; only the measured
 * times differ (sums and maxima are masked).
 */
class RequestObservationTest {

    /** The request the introspection route answers, the platform's most frequent. */
    private static final String INTROSPECT = "/v1/introspect";

    private static final Pattern TIMED_VALUE =
            Pattern.compile("(?m)^(\\S*(?:_sum|_max|_active_seconds_duration_sum)\\{.*\\}) .*$");

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
        assertThat(direct.observations.get()).as("none").isZero();
        assertThat(direct.scrapes).as("while each request runs").isEqualTo(spring.scrapes);
        assertThat(direct.scrape()).contains("http_server_requests_seconds_bucket{")
                .contains("uri=\"/v1/introspect\"").contains("error=\"IllegalArgumentException\"")
                .isEqualTo(spring.scrape());
    }

    @Test
    void springMvcsRequests_synchronousOrNot_recordTheSeriesSpringsFilterRecords() throws Exception {
        Side spring = new Side(false);
        Side direct = new Side(true);
        String account = "/v1/workspaces/{ws}/service-accounts/{id}";
        String access = "/v1/workspaces/{ws}/projects/{key}/access";
        for (Side side : List.of(spring, direct)) {
            for (int i = 0; i < 3; i++) {
                side.run(get("/v1/workspaces/acme/service-accounts/sa-" + i), mapped(account, 200));
                side.run(get("/v1/workspaces/acme/projects/ml/access"), mapped(access, 200));
            }
            side.run(get("/v1/workspaces/acme/service-accounts/sa-9"), mapped(account, 404));
            side.run(get("/v1/workspaces/acme/projects/ml/access"), mapped(access, 403));
            side.run(get("/v1/nowhere"), answer404WithoutPattern());
            MockHttpServletRequest head = get("/v1/workspaces/acme/projects/ml/access");
            head.setMethod("HEAD");
            side.run(head, mapped(access, 200));
            for (String unusual : List.of("PROPFIND", "FOO")) { // tagged UNKNOWN, not cached
                MockHttpServletRequest request = get("/v1/workspaces/acme/projects/ml/access");
                request.setMethod(unusual);
                side.run(request, mapped(access, 405));
            }
            assertThatThrownBy(() -> side.run(get("/v1/workspaces/acme/projects/ml/access"), (request, response) -> {
                mapped(access, 200).doFilter(request, response);
                throw new IllegalStateException("thrown");
            })).isInstanceOf(IllegalStateException.class);
            side.runAsync(get("/v1/workspaces/acme/projects/ml/access"), access, false);
            side.runAsync(get("/v1/workspaces/acme/projects/ml/access"), access, true);
        }

        assertThat(spring.observations.get()).isEqualTo(15);
        assertThat(direct.observations.get()).isZero();
        assertThat(direct.scrapes).as("while each request runs").isEqualTo(spring.scrapes);
        assertThat(direct.scrape()).contains("uri=\"" + account + "\"").contains("method=\"UNKNOWN\"")
                .contains("method=\"HEAD\"").contains("uri=\"NOT_FOUND\"").contains("error=\"IllegalStateException\"")
                .contains("error=\"IOException\"").isEqualTo(spring.scrape());
    }

    /**
     * The timers are found by method, status and pattern for shared-infra's convention too: it must override nothing
     * of Spring's but the {@code uri} (which it changes only for a refusal without a pattern).
     */
    @Test
    void theRouteTemplatesConvention_overridesOnlyTheUri() throws ClassNotFoundException {
        for (String name : RequestObservation.PATTERN_KEYED) {
            Class<?> convention = Class.forName(name);
            assertThat(DefaultServerRequestObservationConvention.class).isAssignableFrom(convention);
            List<String> overridden = new ArrayList<>();
            for (Method method : convention.getDeclaredMethods()) {
                if (!method.isSynthetic() && !Modifier.isPrivate(method.getModifiers())
                        && overrides(convention, method)) {
                    overridden.add(method.getName());
                }
            }
            assertThat(overridden).as(name).isSubsetOf("uri");
        }
    }

    private static boolean overrides(Class<?> type, Method method) {
        for (Class<?> parent = type.getSuperclass(); parent != null; parent = parent.getSuperclass()) {
            try {
                parent.getDeclaredMethod(method.getName(), method.getParameterTypes());
                return true;
            } catch (NoSuchMethodException e) {
                // not there: look further up
            }
        }
        return false;
    }

    private static MockHttpServletRequest get(String path) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setAsyncSupported(true);
        return request;
    }

    /** What Spring MVC's handler mapping does (the pattern on the observation's context), then the answer's status. */
    private static FilterChain mapped(String pattern, int status) {
        return (request, response) -> {
            ServerHttpObservationFilter.findObservationContext((jakarta.servlet.http.HttpServletRequest) request)
                    .orElseThrow().setPathPattern(pattern);
            ((HttpServletResponse) response).setStatus(status);
        };
    }

    private static FilterChain answer404WithoutPattern() {
        return (request, response) -> ((HttpServletResponse) response).setStatus(404);
    }

    private static MockHttpServletRequest taken() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", INTROSPECT);
        request.setContentType("application/x-www-form-urlencoded");
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
                .orElseThrow().setPathPattern(INTROSPECT);
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
            filter = direct ? new RequestObservation(observations, convention, meters, true)
                    : new ServerHttpObservationFilter(observations, convention);
        }

        void run(MockHttpServletRequest request, FilterChain chain) throws Exception {
            MockHttpServletResponse response = new MockHttpServletResponse();
            filter.doFilter(request, response, (req, res) -> {
                scrapes.add(scrape());
                chain.doFilter(req, res);
            });
        }

        /**
         * An asynchronous request: started in its first dispatch, answered in an asynchronous dispatch, then completed
         * (or, {@code failing}, an error reported to the async context's listeners before it completes).
         */
        void runAsync(MockHttpServletRequest request, String pattern, boolean failing) throws Exception {
            MockHttpServletResponse response = new MockHttpServletResponse();
            filter.doFilter(request, response, (req, res) -> {
                mapped(pattern, 200).doFilter(req, res);
                req.startAsync();
            });
            scrapes.add(scrape());
            request.setDispatcherType(DispatcherType.ASYNC);
            filter.doFilter(request, response, (req, res) -> {
                scrapes.add(scrape());
                ((HttpServletResponse) res).setStatus(failing ? 500 : 201);
            });
            MockAsyncContext async = (MockAsyncContext) request.getAsyncContext();
            if (failing) {
                for (AsyncListener listener : async.getListeners()) {
                    listener.onError(new AsyncEvent(async, new ServletException(new IOException("lost"))));
                }
            }
            async.complete();
        }

        String scrape() {
            return TIMED_VALUE.matcher(meters.scrape()).replaceAll("$1 (time)");
        }
    }
}
