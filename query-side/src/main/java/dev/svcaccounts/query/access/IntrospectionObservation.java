package dev.svcaccounts.query.access;

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
import org.springframework.http.HttpStatus;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.filter.ServerHttpObservationFilter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Spring's request observation ({@code http_server_requests_seconds}, {@code http_server_requests_active_seconds}),
 * registered as Spring Boot registers it, which records the same two meters without an {@code Observation} for the
 * requests {@link IntrospectionRoute} takes: the platform's most frequent request, where building the observation,
 * its context's key values and tags and looking its meters up in the registry twice cost about a tenth of the request
 * thread's CPU.
 * <p>
 * The meters are the very ones Spring Boot's {@link DefaultMeterObservationHandler} uses: built by the same builders
 * from the same convention's key values on the same request context (which is still set as the request attribute
 * others read), plus the handler's {@code error} tag. For an answer of the route with no error (its path pattern set,
 * nothing thrown) the key values depend on the status alone, so the timer is looked up by status; any other outcome
 * (a filter's refusal, an exception) has its tags computed for it as the handler would. Only when the observation
 * set-up is Spring Boot's with nothing added (one metrics handler, no tracing, no observation properties, filters,
 * predicates or global conventions): otherwise every request goes through Spring's filter. {@code
 * IntrospectionObservationTest} compares the scrapes of both after the same requests.
 */
final class IntrospectionObservation extends ServerHttpObservationFilter {

    private static final String BOOTS_FILTER_PREDICATE =
            "org.springframework.boot.actuate.autoconfigure.observation.PropertiesObservationFilterPredicate";

    private final ServerRequestObservationConvention convention;
    private final MeterRegistry meters;
    private final boolean direct;
    /** By the response's status when the request starts (200: Tomcat's). */
    private final Map<Integer, LongTaskTimer> inProgress = new ConcurrentHashMap<>();
    /** By status, for the route's answers without an error. */
    private final Map<Integer, Timer> answered = new ConcurrentHashMap<>();

    IntrospectionObservation(ObservationRegistry observations, ServerRequestObservationConvention convention,
                             MeterRegistry meters, boolean direct) {
        super(observations, convention);
        this.convention = convention;
        this.meters = meters;
        this.direct = direct && !observations.isNoop();
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        /** Spring Boot's registration of its filter (WebMvcObservationAutoConfiguration), which stands back for it. */
        @Bean
        FilterRegistrationBean<ServerHttpObservationFilter> introspectionObservationFilter(
                ObservationRegistry observations, ObjectProvider<ServerRequestObservationConvention> customConvention,
                ObservationProperties properties, MeterRegistry meters, ListableBeanFactory beans) {
            String name = properties.getHttp().getServer().getRequests().getName();
            ServerRequestObservationConvention convention =
                    customConvention.getIfAvailable(() -> new DefaultServerRequestObservationConvention(name));
            ServerHttpObservationFilter filter =
                    new IntrospectionObservation(observations, convention, meters, onlyBootsSetUp(properties, beans));
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
        if (!direct || request.getDispatcherType() != DispatcherType.REQUEST || !IntrospectionRoute.takes(request)
                || request.getAttribute(CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE) != null) {
            super.doFilterInternal(request, response, chain);
            return;
        }
        ServerRequestObservationContext context = new ServerRequestObservationContext(request, response);
        request.setAttribute(CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE, context);
        LongTaskTimer.Sample active = inProgress.computeIfAbsent(response.getStatus(), status ->
                LongTaskTimer.builder(convention.getName() + ".active").tags(tags(context, null)).register(meters))
                .start();
        long started = meters.config().clock().monotonicTime();
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException failed) { // as Spring's filter
            context.setError(failed instanceof ServletException ? failed.getCause() : failed);
            response.setStatus(HttpStatus.INTERNAL_SERVER_ERROR.value());
            throw failed;
        } finally {
            // IntrospectionController answers in the request's thread: the route never starts asynchronous processing
            if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable error) {
                context.setError(error);
            }
            Timer timer = context.getError() == null && IntrospectionRoute.PATH.equals(context.getPathPattern())
                    ? answered.computeIfAbsent(response.getStatus(), status -> timer(context))
                    : timer(context);
            timer.record(meters.config().clock().monotonicTime() - started, TimeUnit.NANOSECONDS);
            active.stop();
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
