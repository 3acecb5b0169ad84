package dev.svcaccounts.infra.idempotency;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FingerprintTest {

    private static byte[] of(String method, String path, String body) {
        return Fingerprint.of(method, path, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSameJsonValueInAnotherLayoutIsTheSameRequest() {
        assertThat(of("POST", "/p", " {\"b\": [1, {\"y\":2,\"x\":1}],\n\"a\":\"é\"} "))
                .isEqualTo(of("POST", "/p", "{\"a\":\"\\u00e9\",\"b\":[1,{\"x\":1,\"y\":2}]}"));
    }

    @Test
    void anyOtherValueMethodOrPathIsAnotherRequest() {
        byte[] one = of("POST", "/p", "{\"a\":1}");
        assertThat(of("POST", "/p", "{\"a\":2}")).isNotEqualTo(one);
        assertThat(of("POST", "/p", "{\"a\":\"1\"}")).isNotEqualTo(one);
        assertThat(of("POST", "/p", "{\"a\":1,\"b\":null}")).isNotEqualTo(one);
        assertThat(of("POST", "/p", "[{\"a\":1}]")).isNotEqualTo(one);
        assertThat(of("PUT", "/p", "{\"a\":1}")).isNotEqualTo(one);
        assertThat(of("POST", "/p/", "{\"a\":1}")).isNotEqualTo(one);
        assertThat(of("POST", "/p?x=1", "{\"a\":1}")).isNotEqualTo(one);
        assertThat(of("POST", "/p", "")).isNotEqualTo(of("POST", "/p", "{}"));
    }

    @Test
    void aBodyThatIsNotOneJsonValueCountsByteForByte() {
        String duplicate = "{\"a\":1,\"a\":2}";
        assertThat(of("POST", "/p", duplicate)).isEqualTo(of("POST", "/p", duplicate))
                .isNotEqualTo(of("POST", "/p", "{\"a\":2}"));
        assertThat(of("POST", "/p", "{\"a\":1} {}")).isNotEqualTo(of("POST", "/p", "{\"a\":1}"));
        assertThat(of("POST", "/p", "{\"a\":")).isNotEqualTo(of("POST", "/p", "{\"a\": "));
        assertThat(of("POST", "/p", "{\"n\":\"\\ud800\"}")).isEqualTo(of("POST", "/p", "{\"n\":\"\\ud800\"}"))
                .isNotEqualTo(of("POST", "/p", "{\"n\":\"\\ud801\"}"));
    }
}
