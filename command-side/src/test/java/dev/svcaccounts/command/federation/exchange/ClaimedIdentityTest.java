package dev.svcaccounts.command.federation.exchange;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** What an unparseable JWT claims, read only to know whose trail records its refusal. */
class ClaimedIdentityTest {

    private static String part(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anUnsignedJwt_claimsItsIssuerSubjectAndId() {
        String jwt = part("{\"alg\":\"none\"}") + "." + part("{\"iss\":\"https://i\",\"sub\":\"s\",\"jti\":\"j\"}")
                + ".";
        assertThat(ClaimedIdentity.of(jwt)).isEqualTo(new ClaimedIdentity("https://i", "s", "j"));
    }

    @Test
    void theAudience_isOneStringOrAnArrayOfThem() {
        String one = "h." + part("{\"iss\":\"https://i\",\"aud\":\"a\"}") + ".s";
        String many = "h." + part("{\"iss\":\"https://i\",\"aud\":[\"a\",7,\"b\"]}") + ".s";
        assertThat(ClaimedIdentity.of(one).audience()).containsExactly("a");
        assertThat(ClaimedIdentity.of(many).audience()).containsExactly("a", "b");
        assertThat(ClaimedIdentity.of("h." + part("{\"aud\":{}}") + ".s").audience()).isEmpty();
    }

    @Test
    void garbage_orClaimsOfTheWrongType_claimNothing() {
        assertThat(ClaimedIdentity.of("not-a-jwt")).isEqualTo(ClaimedIdentity.NONE);
        assertThat(ClaimedIdentity.of("a.%%%.c")).isEqualTo(ClaimedIdentity.NONE);
        assertThat(ClaimedIdentity.of("a." + part("{\"iss\":42,\"sub\":[\"x\"]}") + ".c"))
                .isEqualTo(new ClaimedIdentity(null, null, null));
    }
}
