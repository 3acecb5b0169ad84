package dev.svcaccounts.command.common;

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
 * The hot command endpoints on the {@link ShortRoute}: the benchmark's mix ({@code CommandMix}) is made of them alone
 * (40% assign or change a role, 25% issue a token, 20% revoke one, 15% create or delete an account). Each route is
 * its mapping's HTTP method and path pattern as the controller declares them; the start fails if none matches. The
 * filters are named after the route beans; {@code ShortRouteIT} compares each route's answers with Spring MVC's, and
 * {@code ApplicationWiringIT} checks the filters are registered.
 */
@Configuration(proxyBeanMethods = false)
class ShortRoutes {

    private final ApplicationContext context;
    private final RequestMappingHandlerMapping mapping;
    private final RequestMappingHandlerAdapter adapter;
    private final ObjectProvider<HandlerExceptionResolver> resolvers;

    ShortRoutes(ApplicationContext context,
                @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mapping,
                RequestMappingHandlerAdapter adapter, ObjectProvider<HandlerExceptionResolver> resolvers) {
        this.context = context;
        this.mapping = mapping;
        this.adapter = adapter;
        this.resolvers = resolvers;
    }

    /** {@code AssignmentController.assignServiceAccount}. */
    @Bean
    ShortRoute assignServiceAccountRoute() {
        return route(RequestMethod.PUT, "/v1/workspaces/{ws}/projects/{key}/service-accounts/{saId}");
    }

    @Bean
    FilterRegistrationBean<ShortRoute> assignServiceAccountRouteRegistration(
            @Qualifier("assignServiceAccountRoute") ShortRoute route) {
        return route.registration("assignServiceAccountRoute");
    }

    /** {@code TokenController.issueToServiceAccount}. */
    @Bean
    ShortRoute issueServiceAccountTokenRoute() {
        return route(RequestMethod.POST, "/v1/workspaces/{ws}/service-accounts/{id}/tokens");
    }

    @Bean
    FilterRegistrationBean<ShortRoute> issueServiceAccountTokenRouteRegistration(
            @Qualifier("issueServiceAccountTokenRoute") ShortRoute route) {
        return route.registration("issueServiceAccountTokenRoute");
    }

    /** {@code TokenController.revokeOfServiceAccount}. */
    @Bean
    ShortRoute revokeServiceAccountTokenRoute() {
        return route(RequestMethod.DELETE, "/v1/workspaces/{ws}/service-accounts/{id}/tokens/{tokenId}");
    }

    @Bean
    FilterRegistrationBean<ShortRoute> revokeServiceAccountTokenRouteRegistration(
            @Qualifier("revokeServiceAccountTokenRoute") ShortRoute route) {
        return route.registration("revokeServiceAccountTokenRoute");
    }

    /** {@code ServiceAccountController.create}. */
    @Bean
    ShortRoute createServiceAccountRoute() {
        return route(RequestMethod.POST, "/v1/workspaces/{ws}/service-accounts");
    }

    @Bean
    FilterRegistrationBean<ShortRoute> createServiceAccountRouteRegistration(
            @Qualifier("createServiceAccountRoute") ShortRoute route) {
        return route.registration("createServiceAccountRoute");
    }

    /** {@code ServiceAccountController.delete}. */
    @Bean
    ShortRoute deleteServiceAccountRoute() {
        return route(RequestMethod.DELETE, "/v1/workspaces/{ws}/service-accounts/{id}");
    }

    @Bean
    FilterRegistrationBean<ShortRoute> deleteServiceAccountRouteRegistration(
            @Qualifier("deleteServiceAccountRoute") ShortRoute route) {
        return route.registration("deleteServiceAccountRoute");
    }

    private ShortRoute route(RequestMethod method, String pattern) {
        return new ShortRoute(method, pattern, context, mapping, adapter, resolvers);
    }
}
