package dev.svcaccounts.infra.web;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.infra.idempotency.KeyedWrites;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;

/**
 * The OpenAPI document each side serves at {@code /v3/api-docs}: the contract committed in docs/openapi/ and the
 * source of the generated clients. Its conventions (problem responses, headers, media types) are applied by rule
 * in {@link ApiConventions}; each endpoint names its operation id, summary and own refusals ({@link Refusals}).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    static {
        // resolved from the bearer token and the request headers, never sent as parameters
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthenticatedPrincipal.class, AuditContext.class);
    }

    @Bean
    public OpenAPI openApi(@Value("${svcaccounts.api-title}") String title) {
        Server server = new Server().url("/").description("The server this document was read from "
                + "(production: the gateway; local development: ./run.sh, the command side on port 8080, "
                + "the query side on 8081)");
        // OWASP's inventory rule: the audience of the API, the platform's own services
        server.setExtensions(Map.of("x-internal", true));
        return new OpenAPI()
                .info(new Info().title(title).version("v1")
                        .license(new License().name("Proprietary").identifier("LicenseRef-Proprietary"))
                        .description("Service accounts, tokens and their audit trail. Errors are RFC 9457 problem "
                                + "documents (`application/problem+json`, schema `Problem`) whose `type` ends in a "
                                + "stable code; only the token exchange (`POST /v1/token`) answers RFC 6749 "
                                + "errors (`application/json`, schema `OAuthError`), as OAuth clients expect. The "
                                + "reference is docs/api.md."))
                .servers(List.of(server))
                .components(ApiComponents.add(new Components().addSecuritySchemes("bearer", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("An API token (`svcacct_...`, `usrtok_...`) or the operator credential"))))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    @Bean
    GlobalOperationCustomizer refusalsOfEachOperation() {
        return ApiConventions::addRefusals;
    }

    @Bean
    GlobalOpenApiCustomizer apiConventions(ObjectProvider<KeyedWrites> keyedWrites) {
        return document -> new ApiConventions(keyedWrites.getIfAvailable(() -> (method, path) -> false))
                .apply(document);
    }
}
