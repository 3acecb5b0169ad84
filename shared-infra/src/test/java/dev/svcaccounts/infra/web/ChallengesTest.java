package dev.svcaccounts.infra.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChallengesTest {

    @Test
    void noCredential_isTheBareChallenge_withoutAnErrorCode() {
        assertThat(Challenges.bearer()).isEqualTo("Bearer realm=\"svcaccounts\"");
    }

    @Test
    void errors_carryTheirCodeAndDescription() {
        assertThat(Challenges.invalidToken("The token is not valid."))
                .isEqualTo("Bearer realm=\"svcaccounts\", error=\"invalid_token\", "
                        + "error_description=\"The token is not valid.\"");
        assertThat(Challenges.insufficientScope("Only admins."))
                .isEqualTo("Bearer realm=\"svcaccounts\", error=\"insufficient_scope\", "
                        + "error_description=\"Only admins.\"");
    }

    @Test
    void aDescription_keepsOnlyWhatRfc6750Allows_soTheQuotedStringNeverEnds() {
        assertThat(Challenges.invalidToken("say \"hi\" \\ bye"))
                .endsWith("error_description=\"say 'hi' / bye\"");
        assertThat(Challenges.description("café\r\nX-Injected: 1\t☃")).isEqualTo("caf???X-Injected: 1??");
        assertThat(Challenges.description(null)).isEmpty();
    }
}
