package dev.svcaccounts.infra.web;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    static {
        // resolved from the bearer token and the request headers, never sent as parameters
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthenticatedPrincipal.class, AuditContext.class);
    }

    @Bean
    public OpenAPI openApi(@Value("${svcaccounts.api-title}") String title) {
        return new OpenAPI()
                .info(new Info().title(title).version("v1")
                        .description("Service accounts, tokens and their audit trail. "
                                + "Errors are RFC 9457 problem documents."))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
