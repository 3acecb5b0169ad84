package dev.svcaccounts.command.token;

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
 * A service account's token revoked, {@code DELETE /v1/workspaces/{ws}/service-accounts/{id}/tokens/{tokenId}}
 * (one in five of the benchmark's commands), on the {@link ShortRoute}.
 */
@Configuration(proxyBeanMethods = false)
class RevocationRoute {

    @Bean
    ShortRoute revokeServiceAccountTokenRoute(
            ApplicationContext context, @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mapping,
            RequestMappingHandlerAdapter adapter, ObjectProvider<HandlerExceptionResolver> resolvers) {
        return new ShortRoute(TokenController.class, "revokeOfServiceAccount", context, mapping, adapter, resolvers);
    }

    @Bean
    FilterRegistrationBean<ShortRoute> revokeServiceAccountTokenRouteRegistration(
            @Qualifier("revokeServiceAccountTokenRoute") ShortRoute route) {
        return route.registration("revokeServiceAccountTokenRoute");
    }
}
