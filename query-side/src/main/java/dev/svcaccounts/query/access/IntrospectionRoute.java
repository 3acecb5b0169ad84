package dev.svcaccounts.query.access;

import dev.svcaccounts.infra.security.OperatorBearer;
import dev.svcaccounts.infra.web.HandlerExceptions;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.converter.GenericHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The short way from the filters to {@link IntrospectionController#introspect}, the platform's most frequent request:
 * a plain form POST that asks for JSON is handed to the controller's method here, after every other filter
 * (request id, strict request checks, the request observation, the refusal counters, the throttle, the bearer check),
 * instead of going through Spring MVC's handler lookup, argument resolution, method validation, content negotiation
 * and return-value handling, which cost about a third of an introspection's CPU on the query side.
 * <p>
 * It changes no answer, because it takes only the requests whose route through Spring MVC is known in advance, and
 * does there what Spring MVC does: the controller's own method, the mapping's request attributes and observation
 * pattern, the same message converter for the answer (the one Spring MVC picks for {@code application/json}), and
 * for any exception the same exception resolvers, in the same order, with the same handler, as
 * {@link DispatcherServlet}. Everything else (another method, body type or {@code Accept}, a query string, an error
 * dispatch) goes on to Spring MVC as before. The route is read from the controller's mapping at start, and the start
 * fails if the mapping no longer is what this filter assumes. {@code IntrospectionIT} compares its answers with
 * Spring MVC's, header by header.
 */
final class IntrospectionRoute extends HttpFilter implements SmartInitializingSingleton {

    static final String PATH = IntrospectionCounters.PATH;

    private final transient IntrospectionController controller;
    private final transient RequestMappingHandlerMapping mapping;
    private final transient RequestMappingHandlerAdapter adapter;
    private final transient ObjectProvider<HandlerExceptionResolver> resolvers;

    private transient HandlerMethod handler;
    private transient HttpMessageConverter<Object> converter;
    private transient HandlerExceptions exceptions;

    IntrospectionRoute(IntrospectionController controller, RequestMappingHandlerMapping mapping,
                       RequestMappingHandlerAdapter adapter, ObjectProvider<HandlerExceptionResolver> resolvers) {
        this.controller = controller;
        this.mapping = mapping;
        this.adapter = adapter;
        this.resolvers = resolvers;
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        IntrospectionRoute introspectionRoute(IntrospectionController controller,
                                              @Qualifier("requestMappingHandlerMapping")
                                              RequestMappingHandlerMapping mapping,
                                              RequestMappingHandlerAdapter adapter,
                                              ObjectProvider<HandlerExceptionResolver> resolvers) {
            return new IntrospectionRoute(controller, mapping, adapter, resolvers);
        }

        /** After every other filter: they all see the request as they would on its way to Spring MVC. */
        @Bean
        FilterRegistrationBean<IntrospectionRoute> introspectionRouteRegistration(IntrospectionRoute route) {
            FilterRegistrationBean<IntrospectionRoute> registration = new FilterRegistrationBean<>(route);
            registration.addUrlPatterns(PATH);
            registration.setOrder(Ordered.LOWEST_PRECEDENCE);
            registration.setName("introspectionRoute");
            return registration;
        }
    }

    /** Finds the controller's mapping, Spring MVC's converter for the answer and its exception resolvers. */
    @Override
    public void afterSingletonsInstantiated() {
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
            HandlerMethod method = entry.getValue();
            if (method.getBeanType() == IntrospectionController.class
                    && method.getMethod().getName().equals("introspect")) {
                RequestMappingInfo info = entry.getKey();
                if (!info.getPatternValues().equals(Set.of(PATH))
                        || !info.getMethodsCondition().getMethods().equals(Set.of(RequestMethod.POST))
                        || !info.getConsumesCondition().getConsumableMediaTypes()
                        .equals(Set.of(MediaType.APPLICATION_FORM_URLENCODED))
                        || !info.getProducesCondition().isEmpty() || !info.getParamsCondition().isEmpty()
                        || !info.getHeadersCondition().isEmpty() || info.getCustomCondition() != null) {
                    throw new IllegalStateException("IntrospectionRoute assumes POST " + PATH + " consuming a form "
                            + "and nothing else; the controller's mapping is now " + info);
                }
                handler = method.createWithResolvedBean();
            }
        }
        if (handler == null) {
            throw new IllegalStateException("No mapping of IntrospectionController.introspect found");
        }
        converter = jsonConverter(adapter.getMessageConverters());
        exceptions = new HandlerExceptions(resolvers.orderedStream().toList()); // as DispatcherServlet finds them
    }

    /** The first converter that writes the answer as {@code application/json}, as Spring MVC chooses it. */
    @SuppressWarnings("unchecked")
    private static HttpMessageConverter<Object> jsonConverter(List<HttpMessageConverter<?>> converters) {
        for (HttpMessageConverter<?> candidate : converters) {
            boolean writes = candidate instanceof GenericHttpMessageConverter<?> generic
                    ? generic.canWrite(IntrospectionView.class, IntrospectionView.class, MediaType.APPLICATION_JSON)
                    : candidate.canWrite(IntrospectionView.class, MediaType.APPLICATION_JSON);
            if (writes) {
                return (HttpMessageConverter<Object>) candidate;
            }
        }
        throw new IllegalStateException("No message converter writes " + IntrospectionView.class.getName());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!takes(request)) {
            chain.doFilter(request, response);
            return;
        }
        // what Spring MVC's handler mapping records for a request it matched to this route
        request.setAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, handler);
        request.setAttribute(HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE, PATH);
        request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, PATH);
        request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, Collections.emptyMap());
        ServerHttpObservationFilter.findObservationContext(request)
                .ifPresent(context -> context.setPathPattern(PATH));
        try {
            IntrospectionView answer = controller.introspect(request);
            // what Spring MVC does with the returned value (its response-body advice leaves this body as it is)
            ServletServerHttpResponse output = new ServletServerHttpResponse(response);
            if (converter instanceof GenericHttpMessageConverter<Object> generic) {
                generic.write(answer, IntrospectionView.class, MediaType.APPLICATION_JSON, output);
            } else {
                converter.write(answer, MediaType.APPLICATION_JSON, output);
            }
        } catch (Exception refused) {
            exceptions.resolve(request, response, handler, refused);
        }
    }

    /** Whether Spring MVC would hand this request to the controller's method, with nothing else to refuse first. */
    static boolean takes(HttpServletRequest request) {
        return PATH.equals(request.getRequestURI()) && request.getContextPath().isEmpty()
                && OperatorBearer.reachesEndpoint(request);
    }
}
