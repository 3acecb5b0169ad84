package dev.svcaccounts.query.web;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.observation.ObservationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.filter.ServerHttpObservationFilter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Spring's request observation ({@code http_server_requests_seconds}, {@code http_server_requests_active_seconds}),
 * registered as Spring Boot registers it, which records the same two meters without an {@code Observation}: building
 * the observation, its context's key values and tags and looking its meters up in the registry twice cost about a
 * tenth of the request thread's CPU, on introspection ({@code IntrospectionRoute}) as on the reads through Spring MVC.
 * <p>
 * The meters are the very ones Spring Boot's {@link DefaultMeterObservationHandler} uses: built by the same builders
 * from the same convention's key values on the same request context (which is still set as the request attribute
 * Spring MVC and the route set the path pattern on), plus the handler's {@code error} tag. Spring's convention's key
 * values (and {@code RouteTemplates}') depend on the method, the status and the path pattern alone when a pattern was
 * matched and nothing failed, so those answers find their timer by the three (standard methods only, for a bounded
 * map); any other outcome (no pattern, an exception, another convention) has its tags computed for it as the handler
 * would. An asynchronous request is recorded when its async context completes or times out, as Spring's filter does.
 * Only when the observation set-up is Spring Boot's with nothing added (one metrics handler, no tracing, no
 * observation properties, filters, predicates or global conventions): otherwise every request goes through Spring's
 * filter. {@code RequestObservationTest} compares the scrapes of both after the same requests.
 */
final class RequestObservation extends ServerHttpObservationFilter {

    /** The methods whose name is their tag (any other is {@code UNKNOWN}): a bounded set of keys for the meters. */
    private static final Set<String> STANDARD_METHODS =
            Arrays.stream(HttpMethod.values()).map(HttpMethod::name).collect(Collectors.toUnmodifiableSet());
    /**
     * Conventions whose key values for a request with a path pattern depend on its method, status, pattern and error
     * alone: Spring's, and shared-infra's {@code RouteTemplates}, which changes only the {@code uri} of a refusal
     * without a pattern ({@code RequestObservationTest} checks that it overrides nothing else).
     */
    static final Set<String> PATTERN_KEYED = Set.of(DefaultServerRequestObservationConvention.class.getName(),
            "dev.svcaccounts.infra.metrics.RouteTemplates");
    private static final String RECORDING = RequestObservation.class.getName() + ".recording";

    private static final String BOOTS_FILTER_PREDICATE =
            "org.springframework.boot.actuate.autoconfigure.observation.PropertiesObservationFilterPredicate";

    private final ServerRequestObservationConvention convention;
    private final MeterRegistry meters;
    private final boolean direct;
    /** Whether the convention's key values for a request with a path pattern and no error are {@link Answered}'s. */
    private final boolean patternKeyed;
    /** By method and the response's status when the request starts (200: Tomcat's). */
    private final Map<Started, LongTaskTimer> inProgress = new ConcurrentHashMap<>();
    /** By method, status and path pattern, for the answers without an error. */
    private final Map<Answered, Timer> answered = new ConcurrentHashMap<>();

    RequestObservation(ObservationRegistry observations, ServerRequestObservationConvention convention,
                             MeterRegistry meters, boolean direct) {
        super(observations, convention);
        this.convention = convention;
        this.meters = meters;
        this.direct = direct && !observations.isNoop();
        this.patternKeyed = PATTERN_KEYED.contains(convention.getClass().getName());
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        /** Spring Boot's registration of its filter (WebMvcObservationAutoConfiguration), which stands back for it. */
        @Bean
        FilterRegistrationBean<ServerHttpObservationFilter> requestObservationFilter(
                ObservationRegistry observations, ObjectProvider<ServerRequestObservationConvention> customConvention,
                ObservationProperties properties, MeterRegistry meters, ListableBeanFactory beans) {
            String name = properties.getHttp().getServer().getRequests().getName();
            ServerRequestObservationConvention convention =
                    customConvention.getIfAvailable(() -> new DefaultServerRequestObservationConvention(name));
            ServerHttpObservationFilter filter =
                    new RequestObservation(observations, convention, meters, onlyBootsSetUp(properties, beans));
            FilterRegistrationBean<ServerHttpObservationFilter> registration = new FilterRegistrationBean<>(filter);
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
            registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
            return registration;
        }

        /** Whether an observation would give the meters Spring Boot's metrics handler gives and nothing else. */
        static boolean onlyBootsSetUp(ObservationProperties properties, ListableBeanFactory beans) {
            Map<String, ObservationHandler> handlers = beans.getBeansOfType(ObservationHandler.class);
            return properties.getKeyValues().isEmpty() && properties.getEnable().isEmpty()
                    && properties.getLongTaskTimer().isEnabled()
                    && handlers.size() == 1
                    && handlers.values().iterator().next().getClass() == DefaultMeterObservationHandler.class
                    && onlyBoots(beans.getBeansOfType(ObservationFilter.class))
                    && onlyBoots(beans.getBeansOfType(ObservationPredicate.class))
                    && beans.getBeansOfType(GlobalObservationConvention.class).isEmpty();
        }

        private static boolean onlyBoots(Map<String, ?> beans) {
            return beans.values().stream().allMatch(bean -> bean.getClass().getName().equals(BOOTS_FILTER_PREDICATE));
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (direct && request.getAttribute(RECORDING) instanceof Recording recording) {
            recording.dispatch(request, response, chain); // an asynchronous request's later dispatch
            return;
        }
        if (!direct || request.getDispatcherType() != DispatcherType.REQUEST
                || request.getAttribute(CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE) != null) {
            super.doFilterInternal(request, response, chain);
            return;
        }
        ServerRequestObservationContext context = new ServerRequestObservationContext(request, response);
        request.setAttribute(CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE, context);
        String method = request.getMethod();
        // before the answer, the key values depend on the method and status alone (RouteTemplates': below 400)
        LongTaskTimer.Sample active = (patternKeyed && response.getStatus() < 400 && STANDARD_METHODS.contains(method)
                ? inProgress.computeIfAbsent(new Started(method, response.getStatus()), key -> activeTimer(context))
                : activeTimer(context)).start();
        Recording recording = new Recording(context, active, meters.config().clock().monotonicTime());
        try {
            recording.dispatch(request, response, chain);
        } finally {
            if (request.isAsyncStarted()) {
                request.setAttribute(RECORDING, recording);
                request.getAsyncContext().addListener(recording);
            } else {
                if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable error) {
                    context.setError(error);
                }
                recording.stop();
            }
        }
    }

    private LongTaskTimer activeTimer(ServerRequestObservationContext context) {
        return LongTaskTimer.builder(convention.getName() + ".active").tags(tags(context, null)).register(meters);
    }

    /** The method and initial status of a request: what the in-progress timer's key values depend on. */
    private record Started(String method, int status) {
    }

    /** What the timer's key values depend on for a request that ended without an error. */
    private record Answered(String method, int status, String pathPattern) {
    }

    /**
     * One request recorded without an observation, from its start to its end: the end of its dispatch, or for an
     * asynchronous request the async context's completion or time-out, as Spring's filter and its listener stop the
     * observation (an error reported to the listener, or thrown by an asynchronous dispatch, is the request's error).
     */
    private final class Recording implements AsyncListener {

        private final ServerRequestObservationContext context;
        private final LongTaskTimer.Sample active;
        private final long started;

        Recording(ServerRequestObservationContext context, LongTaskTimer.Sample active, long started) {
            this.context = context;
            this.active = active;
            this.started = started;
        }

        /** One dispatch of the request; what it throws is the request's error, answered 500 (as Spring's filter). */
        void dispatch(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            try {
                chain.doFilter(request, response);
            } catch (IOException | ServletException | RuntimeException failed) {
                context.setError(failed instanceof ServletException ? failed.getCause() : failed);
                response.setStatus(HttpStatus.INTERNAL_SERVER_ERROR.value());
                throw failed;
            }
        }

        void stop() {
            String method = context.getCarrier().getMethod();
            Timer timer = context.getError() == null && patternKeyed && context.getPathPattern() != null
                    && STANDARD_METHODS.contains(method)
                    ? answered.computeIfAbsent(new Answered(method, context.getResponse().getStatus(),
                            context.getPathPattern()), key -> timer(context))
                    : timer(context);
            timer.record(meters.config().clock().monotonicTime() - started, TimeUnit.NANOSECONDS);
            active.stop();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            stop();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            stop();
        }

        @Override
        public void onError(AsyncEvent event) {
            Throwable failed = event.getThrowable();
            context.setError(failed instanceof ServletException ? failed.getCause() : failed);
        }
    }

    /** The timer {@link DefaultMeterObservationHandler#onStop} records this request with. */
    private Timer timer(ServerRequestObservationContext context) {
        Throwable error = context.getError();
        return Timer.builder(convention.getName())
                .tags(tags(context, error == null ? "none" : error.getClass().getSimpleName()))
                .register(meters);
    }

    /** The convention's key values as tags, then the handler's {@code error} tag when given. */
    private Tags tags(ServerRequestObservationContext context, String error) {
        List<Tag> tags = new ArrayList<>();
        for (KeyValue value : convention.getLowCardinalityKeyValues(context)) {
            tags.add(Tag.of(value.getKey(), value.getValue()));
        }
        if (error != null) {
            tags.add(Tag.of("error", error));
        }
        return Tags.of(tags);
    }
}
