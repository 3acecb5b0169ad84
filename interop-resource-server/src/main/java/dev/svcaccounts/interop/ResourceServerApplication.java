package dev.svcaccounts.interop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * A resource server as a platform team would write it: Spring Boot's auto-configuration, nothing of ours. Every
 * request needs a bearer token, checked by Spring Security's own opaque-token introspector, which the standard
 * properties ({@code spring.security.oauth2.resourceserver.opaquetoken.introspection-uri}, {@code client-id},
 * {@code client-secret}) configure. Its one endpoint echoes what Spring Security made of the introspection answer.
 */
@SpringBootApplication
@RestController
public class ResourceServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ResourceServerApplication.class, args);
    }

    @GetMapping("/authorities")
    Map<String, Object> authorities(Authentication authentication) {
        List<String> authorities = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .sorted().toList();
        return Map.of("name", authentication.getName(), "authorities", authorities);
    }
}
