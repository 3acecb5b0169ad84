package dev.svcaccounts.infra.web;

import dev.svcaccounts.refusals.DomainRuleException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestTargetTest {

    @Test
    void canonicalPaths_pass() {
        for (String path : List.of("/", "/v1/me", "/v1/workspaces/acme/members/j%C3%B6rg", "/actuator/health",
                "/v1/workspaces/acme/members/a%20b", "/swagger-ui/index.html")) {
            assertThatCode(() -> RequestTarget.checkPath(path)).as(path).doesNotThrowAnyException();
        }
    }

    @Test
    void pathsThatDoNotReadTheSameEverywhere_areRefused() {
        for (String path : List.of("/v1/workspaces/acme;x/audit", "/v1/x;", "/v1/a%3Bb", "/v1/a%3bb", "/v1//me",
                "/v1/me/", "/v1/./me", "/v1/x/../me", "/v1/%2e/me", "/v1/%2E%2E/me", "/v1/%61", "/v1/a%2Fb",
                "/v1/a%5Cb", "/v1/%7E", "/v1/%zz", "/v1/%C3%28", "/v1/%ED%A0%80", "/v1/%00", "/v1/a%0Ab",
                "/v1/m\u00e9", "v1/me", "", "/v1/a\u0001b", "/v1/a\u007f", "/v1/\tme", "/v1/me//", "//")) {
            assertThatThrownBy(() -> RequestTarget.checkPath(path)).as(path)
                    .isInstanceOfSatisfying(DomainRuleException.class,
                            e -> assertThat(e.code()).isEqualTo("invalid-path"));
        }
    }

    @Test
    void queryParameters_areDecodedInOrder() {
        assertThat(RequestTarget.parameters("actor=j%C3%B6rg&type=a+b&empty=&flag&&x=%2B"))
                .containsExactly(Map.entry("actor", "jörg"), Map.entry("type", "a b"), Map.entry("empty", ""),
                        Map.entry("flag", ""), Map.entry("x", "+"));
        assertThat(RequestTarget.parameters("token=a+b&token_type_hint=access_token&c%2Bd=e+%2B"))
                .containsExactly(Map.entry("token", "a b"), Map.entry("token_type_hint", "access_token"),
                        Map.entry("c+d", "e +"));
        assertThatCode(() -> RequestTarget.checkPath("/v1/a+b/c")).doesNotThrowAnyException();
        assertThat(RequestTarget.parameters(null)).isEmpty();
        assertThat(RequestTarget.parameters("")).isEmpty();
    }

    @Test
    void aParameterThatCannotBeReadExactly_isRefusedNamingIt() {
        Map<String, String> refused = Map.of("actor=%C3%28", "'actor'", "actor=%ED%A0%80", "'actor'",
                "actor=%00", "'actor'", "actor=%ZZ", "'actor'", "actor=%4", "'actor'", "actor=a&actor=b", "'actor'",
                "%00=x", "'\\u0000'", "=x", "without a name", "a%zz=1", "'a%zz'", "actor=\u00e9", "'actor'");
        refused.forEach((query, named) -> assertThatThrownBy(() -> RequestTarget.parameters(query)).as(query)
                .isInstanceOfSatisfying(DomainRuleException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid-parameter");
                    assertThat(e.getMessage()).contains(named);
                }));
        Map.of("actor=a\u0001", "'actor'", "act\u007for=a", "'act\\u007for'").forEach((query, named) ->
                assertThatThrownBy(() -> RequestTarget.parameters(query)).as(query)
                        .isInstanceOfSatisfying(DomainRuleException.class, e -> {
                            assertThat(e.code()).isEqualTo("invalid-parameter");
                            assertThat(e.getMessage()).contains(named);
                        }));
    }

    /** Text without percent-encoding or non-ASCII characters is read without a byte decoder: the same answers. */
    @Test
    void theAsciiShortcut_decodesAsTheByteDecoderDoes() {
        char[] alphabet = {'a', 'Z', '0', '-', '.', '_', '~', '+', '%', '2', 'F', 'c', ';', '/', '\\', ' ', '=', '&',
            '\u0000', '\u001f', '\u007f', '\u0080', '\u00e9', '\u20ac', '\ud800'};
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder raw = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--) {
                raw.append(alphabet[random.nextInt(i % 2 == 0 ? alphabet.length : 9)]);
            }
            for (boolean plusIsSpace : new boolean[] {true, false}) {
                String text = raw.toString();
                assertThat(outcome(() -> RequestTarget.decode(text, plusIsSpace, !plusIsSpace))).as(text)
                        .isEqualTo(outcome(() -> RequestTarget.decodeBytes(text, plusIsSpace, !plusIsSpace)));
            }
        }
    }

    private interface Decoding {
        String decode() throws RequestTarget.Undecodable;
    }

    private static String outcome(Decoding decoding) {
        try {
            return "decoded: " + decoding.decode();
        } catch (RequestTarget.Undecodable e) {
            return "refused: " + e.getMessage();
        }
    }
}
