package dev.svcaccounts.infra.web;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class NoStoreFilterTest {

    @Test
    void everyAnswer_isMarkedNotToBeStored_unlessItsHandlerSaysOtherwise() throws Exception {
        MockHttpServletResponse plain = new MockHttpServletResponse();
        new NoStoreFilter().doFilter(new MockHttpServletRequest("POST", "/v1/workspaces"), plain,
                new MockFilterChain());
        assertThat(plain.getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(plain.getHeader("Pragma")).isEqualTo("no-cache");

        MockHttpServletResponse own = new MockHttpServletResponse();
        new NoStoreFilter().doFilter(new MockHttpServletRequest("GET", "/v1/introspect"), own,
                new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
                    @Override
                    protected void service(jakarta.servlet.http.HttpServletRequest request,
                                           jakarta.servlet.http.HttpServletResponse response) {
                        response.setHeader("Cache-Control", "private, max-age=5");
                    }
                }));
        assertThat(own.getHeader("Cache-Control")).isEqualTo("private, max-age=5");
    }
}
