package dev.svcaccounts.query.web;

import dev.svcaccounts.infra.web.ShortRoute;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The hot reads on the {@link ShortRoute}: the benchmark's reads phase is made of them alone (a service account, a
 * project's access listing, half each). Each route is its mapping's HTTP method and path pattern as the controller
 * declares them; the start fails if none matches. Its filter comes after every other filter (request id, the
 * observation, the strict request checks, authentication), as the command side's routes and introspection's. A
 * request with a query string ({@code ?at=}) goes to Spring MVC. {@code ReadRouteIT} compares the routes' answers
 * with Spring MVC's, and {@code ApplicationWiringIT} checks the filters are registered.
 */
@Configuration(proxyBeanMethods = false)
class ReadRoutes {

    private final ApplicationContext context;
    private final RequestMappingHandlerMapping mapping;
    private final RequestMappingHandlerAdapter adapter;
    private final ObjectProvider<HandlerExceptionResolver> resolvers;

    ReadRoutes(ApplicationContext context,
               @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mapping,
               RequestMappingHandlerAdapter adapter, ObjectProvider<HandlerExceptionResolver> resolvers) {
        this.context = context;
        this.mapping = mapping;
        this.adapter = adapter;
        this.resolvers = resolvers;
    }

    /** {@code ServiceAccountQueryController.get}. */
    @Bean
    ShortRoute getServiceAccountRoute() {
        return route("/v1/workspaces/{ws}/service-accounts/{id}");
    }

    @Bean
    FilterRegistrationBean<ShortRoute> getServiceAccountRouteRegistration(
            @Qualifier("getServiceAccountRoute") ShortRoute route) {
        return route.registration("getServiceAccountRoute");
    }

    /** {@code ProjectQueryController.access}. */
    @Bean
    ShortRoute getProjectAccessRoute() {
        return route("/v1/workspaces/{ws}/projects/{key}/access");
    }

    @Bean
    FilterRegistrationBean<ShortRoute> getProjectAccessRouteRegistration(
            @Qualifier("getProjectAccessRoute") ShortRoute route) {
        return route.registration("getProjectAccessRoute");
    }

    private ShortRoute route(String pattern) {
        return new ShortRoute(RequestMethod.GET, pattern, context, mapping, adapter, resolvers);
    }
}
