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

    @Test
    void aLongDescription_isCut_soTheHeaderStaysSmallWhateverTheDetailQuotes() {
        String detail = "User '" + "a".repeat(9_000) + "' is not a member.";
        String challenge = Challenges.insufficientScope(detail);
        assertThat(challenge).hasSizeLessThan(400).endsWith("aaa...\"");
        assertThat(Challenges.headerDescription(detail)).hasSize(Challenges.MAX_HEADER_DESCRIPTION)
                .startsWith("User 'aaa");
        String exact = "b".repeat(Challenges.MAX_HEADER_DESCRIPTION);
        assertThat(Challenges.headerDescription(exact)).isEqualTo(exact);
    }
}
