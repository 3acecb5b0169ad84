package dev.svcaccounts.command.project;

import dev.svcaccounts.command.common.ShortRoute;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The command the benchmark's mix sends most (two in five): a service account assigned to a project or its role
 * there changed, {@code PUT /v1/workspaces/{ws}/projects/{key}/service-accounts/{saId}}, on the {@link ShortRoute}.
 */
@Configuration(proxyBeanMethods = false)
class AssignmentRoute {

    @Bean
    ShortRoute assignServiceAccountRoute(
            ApplicationContext context, @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mapping,
            RequestMappingHandlerAdapter adapter, ObjectProvider<HandlerExceptionResolver> resolvers) {
        return new ShortRoute(AssignmentController.class, "assignServiceAccount", context, mapping, adapter,
                resolvers);
    }

    @Bean
    FilterRegistrationBean<ShortRoute> assignServiceAccountRouteRegistration(
            @Qualifier("assignServiceAccountRoute") ShortRoute route) {
        return route.registration("assignServiceAccountRoute");
    }
}
