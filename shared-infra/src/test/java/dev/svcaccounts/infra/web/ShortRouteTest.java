package dev.svcaccounts.infra.web;

import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which requests a GET route (a read) takes, and that it hands them to the controller's method with its optional
 * parameter absent. The answers themselves are compared with Spring MVC's in the system tests ({@code ReadRouteIT},
 * {@code ShortRouteIT}); a route that took a request it should leave to Spring MVC would make them compare the route
 * with itself on that request, so the declines are pinned here.
 */
class ShortRouteTest {

    private static final String THING = "/v1/workspaces/{ws}/things/{id}";

    @RestController
    static class Things {
        @GetMapping(THING)
        String thing(@PathVariable String ws, @PathVariable String id, @RequestParam(required = false) String at) {
            return ws + "/" + id + "/" + at;
        }

        @GetMapping(THING + "/parts")
        String parts(@PathVariable String ws, @PathVariable String id) {
            return "parts";
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebMvc
    static class Web {
        @Bean
        Things things() {
            return new Things();
        }
    }

    private static AnnotationConfigWebApplicationContext context;
    private static ShortRoute route;

    @BeforeAll
    static void start() {
        context = new AnnotationConfigWebApplicationContext();
        context.setServletContext(new MockServletContext());
        context.register(Web.class);
        context.refresh();
        route = route(RequestMethod.GET, THING);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    private static ShortRoute route(RequestMethod method, String pattern) {
        ShortRoute made = new ShortRoute(method, pattern, context, context.getBean(RequestMappingHandlerMapping.class),
                context.getBean(RequestMappingHandlerAdapter.class),
                context.getBeanProvider(HandlerExceptionResolver.class));
        made.afterSingletonsInstantiated();
        return made;
    }

    @Test
    void aPlainGet_takesTheRoute_withTheAcceptsItKnows() {
        assertThat(route.takes(get(request -> { }))).isTrue();
        for (String accept : ShortRoute.ACCEPTS) {
            assertThat(route.takes(get(request -> request.addHeader("Accept", accept)))).as(accept).isTrue();
        }
        assertThat(route.takes(get(request -> request.addHeader("Content-Length", "0")))).isTrue();
    }

    @Test
    void anythingSpringMvcMightAnswerOtherwise_goesToSpringMvc() {
        Map<String, Consumer<MockHttpServletRequest>> left = new LinkedHashMap<>();
        left.put("HEAD", request -> request.setMethod("HEAD"));
        left.put("OPTIONS", request -> request.setMethod("OPTIONS"));
        left.put("POST", request -> request.setMethod("POST"));
        left.put("a query string", request -> request.setQueryString("at=2026-01-01T00:00:00Z"));
        left.put("an empty query string", request -> request.setQueryString(""));
        left.put("a body", request -> request.setContent("{}".getBytes(StandardCharsets.UTF_8)));
        left.put("a chunked body", request -> request.addHeader("Transfer-Encoding", "chunked"));
        for (String conditional : new String[] {"If-Match", "If-None-Match", "If-Modified-Since",
            "If-Unmodified-Since", "If-Range"}) {
            left.put(conditional, request -> request.addHeader(conditional, "*"));
        }
        left.put("Accept-Language", request -> request.addHeader("Accept-Language", "fr"));
        left.put("Origin", request -> request.addHeader("Origin", "https://elsewhere.example"));
        left.put("Accept ;q=1", request -> request.addHeader("Accept", "application/json;q=1"));
        left.put("Accept text/html", request -> request.addHeader("Accept", "text/html"));
        left.put("two Accept headers", request -> {
            request.addHeader("Accept", "application/json");
            request.addHeader("Accept", "*/*");
        });
        left.put("multipart", request -> request.setContentType("multipart/form-data; boundary=x"));
        left.put("another mapping's path", request -> request.setRequestURI("/v1/workspaces/w/things/1/parts"));
        left.put("a trailing slash", request -> request.setRequestURI("/v1/workspaces/w/things/1/"));
        left.put("an error dispatch", request -> request.setDispatcherType(DispatcherType.ERROR));
        left.put("a context path", request -> {
            request.setContextPath("/app");
            request.setRequestURI("/app/v1/workspaces/w/things/1");
        });
        left.forEach((name, change) -> assertThat(route.takes(get(change))).as(name).isFalse());
    }

    @Test
    void aTakenRead_isAnsweredByTheControllersMethod_itsOptionalParameterAbsent() throws Exception {
        MockHttpServletRequest request = get(r -> r.addHeader("Accept", "application/json"));
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        route.doFilter(request, response, chain);
        assertThat(chain.getRequest()).as("passed on to Spring MVC").isNull();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("w/%1/null");
        assertThat(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)).isEqualTo(THING);
        assertThat(request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE))
                .isEqualTo(Map.of("ws", "w", "id", "%1"));
    }

    @Test
    void aRoute_startsOnlyOnAMappingOfItsMethodAndPattern() {
        assertThatThrownBy(() -> route(RequestMethod.GET, "/v1/workspaces/{ws}/nothing/{id}"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> route(RequestMethod.POST, THING)).isInstanceOf(IllegalStateException.class);
    }

    private static MockHttpServletRequest get(Consumer<MockHttpServletRequest> change) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/workspaces/w/things/%251");
        change.accept(request);
        return request;
    }
}
