package dev.svcaccounts.infra.web;

import dev.svcaccounts.refusals.DomainRuleException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredHeadersTest {

    @Test
    void headersAreReadAsUtf8_andKeptExactly() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader(StoredHeaders.REASON, asSent("café ☕"));
        request.addHeader("User-Agent", asSent("agent ü/1.0 (" + "x".repeat(400) + ")"));
        assertThat(StoredHeaders.reason(request)).isEqualTo("café ☕");
        assertThat(StoredHeaders.userAgent(request)).startsWith("agent ü/1.0 (").hasSize(414);
        assertThat(StoredHeaders.reason(new MockHttpServletRequest())).isNull();
        MockHttpServletRequest empty = new MockHttpServletRequest();
        empty.addHeader(StoredHeaders.REASON, "");
        assertThat(StoredHeaders.reason(empty)).as("an empty header is an absent one").isNull();
    }

    @Test
    void whatCannotBeStoredAsSent_isRefusedNamingTheHeader() {
        assertRefused(StoredHeaders.REASON, "caf\u00e9", "invalid-audit-reason");          // a lone ISO-8859-1 byte
        assertRefused(StoredHeaders.REASON, "a\tb", "invalid-audit-reason");
        assertRefused(StoredHeaders.REASON, "r".repeat(501), "invalid-audit-reason");
        assertRefused(StoredHeaders.REASON, asSent("\u3000padded"), "invalid-audit-reason");
        assertRefused("User-Agent", "a".repeat(513), "invalid-header");
        assertRefused("User-Agent", "\u00ff", "invalid-header");
        assertRefused("User-Agent", asSent("bot\u200b"), "invalid-header");
        MockHttpServletRequest twice = new MockHttpServletRequest();
        twice.addHeader(StoredHeaders.REASON, "one");
        twice.addHeader(StoredHeaders.REASON, "two");
        assertThatThrownBy(() -> StoredHeaders.check(twice)).isInstanceOf(DomainRuleException.class)
                .hasMessageContaining("more than once");
    }

    private static void assertRefused(String header, String value, String code) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader(header, value);
        assertThatThrownBy(() -> StoredHeaders.check(request)).as(header + ": " + Text.printable(value))
                .isInstanceOfSatisfying(DomainRuleException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(header);
                });
    }

    /** A header value as the servlet container hands it over: its UTF-8 bytes, one ISO-8859-1 character each. */
    private static String asSent(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
