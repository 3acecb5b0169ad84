package dev.svcaccounts.query.access;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests the short route takes. {@code IntrospectionIT} compares the route's answers with Spring MVC's by
 * sending each request twice, once with an {@code Accept} the route takes and once with its {@code ;q=1} twin, which
 * it must leave to Spring MVC: without that split the comparison would compare Spring MVC with itself.
 */
class IntrospectionRouteTest {

    @Test
    void aPlainFormPostAskingForJson_takesTheShortRoute_itsQOneTwinGoesToSpringMvc() {
        assertThat(IntrospectionRoute.takes(form(null))).isTrue();
        assertThat(IntrospectionRoute.takes(form("*/*"))).isTrue();
        assertThat(IntrospectionRoute.takes(form("application/json"))).isTrue();
        assertThat(IntrospectionRoute.takes(form("application/json, application/problem+json"))).isTrue();

        assertThat(IntrospectionRoute.takes(form("*/*;q=1"))).isFalse();
        assertThat(IntrospectionRoute.takes(form("application/json;q=1"))).isFalse();
        assertThat(IntrospectionRoute.takes(form("application/json;q=1, application/problem+json;q=1"))).isFalse();
    }

    @Test
    void anythingSpringMvcMightRefuseBeforeTheHandler_goesToSpringMvc() {
        MockHttpServletRequest get = form(null);
        get.setMethod("GET");
        MockHttpServletRequest json = form(null);
        json.setContentType("application/json");
        MockHttpServletRequest query = form(null);
        query.setQueryString("token=x");
        MockHttpServletRequest html = form("text/html");
        MockHttpServletRequest otherPath = form(null);
        otherPath.setRequestURI("/v1/introspect/");

        for (MockHttpServletRequest request : new MockHttpServletRequest[] {get, json, query, html, otherPath}) {
            assertThat(IntrospectionRoute.takes(request)).as(request.getMethod() + " " + request.getRequestURI()
                    + " " + request.getContentType() + " " + request.getQueryString()).isFalse();
        }
    }

    private static MockHttpServletRequest form(String accept) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", IntrospectionRoute.PATH);
        request.setContentType("application/x-www-form-urlencoded");
        if (accept != null) {
            request.addHeader("Accept", accept);
        }
        return request;
    }
}
