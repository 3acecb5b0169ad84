package dev.svcaccounts.infra.metrics;

import io.micrometer.common.KeyValue;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The {@code uri} tag of {@code http_server_requests_seconds} for a request a filter answered before Spring MVC
 * matched it to a handler (a 401 of the bearer authentication, a 429 of a throttle, a 503 while the database is
 * down): the route template its handler has, as for every request that reached one, instead of Spring's
 * {@code UNKNOWN}. Looked up only for those requests, after the answer, from the same request mappings. A path no
 * route has stays {@code UNKNOWN} (or {@code NOT_FOUND}); never the raw path, which the client chooses. A filter that
 * answers for its route with a success (an idempotent replay) names the route itself ({@link #nameRoute}).
 */
@Component
public class RouteTemplates extends DefaultServerRequestObservationConvention {

    private static final String UNKNOWN = "UNKNOWN";

    private final ObjectProvider<RequestMappingHandlerMapping> mappings;

    RouteTemplates(
            @Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this.mappings = mappings;
    }

    @Override
    protected KeyValue uri(ServerRequestObservationContext context) {
        KeyValue uri = super.uri(context);
        if (!UNKNOWN.equals(uri.getValue()) || context.getCarrier() == null || !refused(context)) {
            return uri;
        }
        String template = templateOf(context.getCarrier());
        return template == null ? uri : KeyValue.of(uri.getKey(), template);
    }

    /**
     * Whether the answer is a refusal (4xx, 5xx): only a filter's refusal leaves the pattern unknown once answered.
     * Spring also asks for the tags when the observation starts (its in-progress gauge), before any answer: looking
     * the handler up then, for every request, cost about a tenth of an introspection's CPU.
     */
    private static boolean refused(ServerRequestObservationContext context) {
        return context.getResponse() != null && context.getResponse().getStatus() >= 400;
    }

    /**
     * For a filter that answers a request in its handler's stead: the request's observation gets the pattern of the
     * route it matches, as if the handler had answered (none when no route matches).
     */
    public void nameRoute(HttpServletRequest request) {
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(context -> {
            String template = templateOf(request);
            if (template != null) {
                context.setPathPattern(template);
            }
        });
    }

    /** The pattern of the handler this request would have reached; null when none (or the mapping failed). */
    String templateOf(HttpServletRequest request) {
        RequestMappingHandlerMapping mapping = mappings.getIfAvailable();
        if (mapping == null) {
            return null;
        }
        try {
            if (!ServletRequestPathUtils.hasParsedRequestPath(request)) {
                ServletRequestPathUtils.parseAndCache(request);
            }
            if (mapping.getHandler(request) == null) {
                return null;
            }
            return request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String pattern
                    ? pattern : null;
        } catch (Exception e) { // no handler takes this method or media type: no template to give
            return null;
        }
    }
}
