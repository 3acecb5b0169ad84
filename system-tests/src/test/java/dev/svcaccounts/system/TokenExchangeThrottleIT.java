package dev.svcaccounts.system;

import dev.svcaccounts.system.support.FromAddress;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.ThrottleWindows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/token} refuses an address whose exchanges were refused too often (here 5 in an hour) with a 429
 * OAuth error and Retry-After, before its JWT is looked at; other addresses are not held back. Each test sends from
 * its own loopback address.
 */
class TokenExchangeThrottleIT {

    private static final int LIMIT = 5;

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("token-exchange-throttle",
            ThrottleWindows.settings("token-exchanges", LIMIT));

    @BeforeEach
    void withinOneWindow() {
        ThrottleWindows.awaitRoom();
    }

    private static Response exchange(FromAddress from, String jwt) {
        return from.postForm(system.commandUrl(), "/v1/token", null,
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
                        + "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt&subject_token=" + jwt);
    }

    @Test
    void anAddressRefusedTooOften_getsA429OAuthError_withRetryAfter_andOthersDoNot() {
        FromAddress guesser = new FromAddress("127.0.0.41");
        for (int i = 0; i < LIMIT; i++) {
            exchange(guesser, "not.a.jwt").expectOAuthError(400, "malformed-jwt", "invalid_request");
        }
        Response throttled = exchange(guesser, "not.a.jwt");
        throttled.expectOAuthError(429, "too-many-refusals", "invalid_request");
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isPositive();
        assertThat(throttled.header("Cache-Control")).isEqualTo("no-store");

        exchange(new FromAddress("127.0.0.42"), "not.a.jwt")
                .expectOAuthError(400, "malformed-jwt", "invalid_request");
    }
}
