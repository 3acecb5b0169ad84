package dev.svcaccounts.infra.web;

import dev.svcaccounts.refusals.DomainRuleException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

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
        assertRefused("User-Agent", " Java-http-client/17", "invalid-header");
        assertRefused("User-Agent", "Java-http-client/17 ", "invalid-header");
        assertRefused("User-Agent", "Java\u007f", "invalid-header");
        assertRefused("User-Agent", "Java\u0000", "invalid-header");
        assertRefused("User-Agent", " ", "invalid-header");
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

    /** Printable ASCII is judged without the regular expression: the same answers as {@link Text#VISIBLE_TEXT}. */
    @Test
    void theAsciiShortcut_answersAsTheRegularExpression() {
        Pattern visible = Pattern.compile(Text.VISIBLE_TEXT);
        char[] alphabet = {'a', '~', '!', ' ', '/', '(', '\t', '\n', '\u000b', '\u001c', '\u0000', '\u007f', '\u0085',
            '\u00a0', '\u00e9', '\u200b', '\u2028', '\u3000', '\ud83d', '\ude00'};
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(7); n > 0; n--) {
                value.append(alphabet[random.nextInt(i % 2 == 0 ? alphabet.length : 6)]);
            }
            String text = value.toString();
            assertThat(StoredHeaders.isVisibleText(text)).as(Text.printable(text))
                    .isEqualTo(visible.matcher(text).matches());
        }
    }
}
