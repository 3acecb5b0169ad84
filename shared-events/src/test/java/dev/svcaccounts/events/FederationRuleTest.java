package dev.svcaccounts.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which JWT subjects and claims a federation rule accepts: exact text, or {@code *} for any run of characters. */
class FederationRuleTest {

    private static FederationRule withSubject(String subject) {
        return new FederationRule("r1", "https://issuer.example", "https://issuer.example/jwks", null, "aud",
                subject, Map.of("repository", "acme/train"), 900);
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "repo:acme/train:ref:refs/heads/main | repo:acme/train:ref:refs/heads/main  | true",
        "repo:acme/train:ref:refs/heads/main | repo:acme/train:ref:refs/heads/main2 | false",
        "repo:acme/train:ref:refs/heads/main | repo:acme/train:ref:refs/heads/mai   | false",
        "repo:acme/train:ref:refs/heads/main | REPO:acme/train:ref:refs/heads/main  | false",
        "repo:acme/train:*                   | repo:acme/train:ref:refs/heads/main  | true",
        "repo:acme/train:*                   | repo:acme/train:                     | true",
        "repo:acme/train:*                   | repo:acme/training:ref:x             | false",
        "repo:acme/*:ref:refs/heads/main     | repo:acme/eval:ref:refs/heads/main   | true",
        "repo:acme/*:ref:refs/heads/main     | repo:acme/a/b:ref:refs/heads/main    | true",
        "repo:acme/*:ref:refs/heads/main     | repo:acme/eval:ref:refs/heads/dev    | false",
        "repo:acme/*:ref:refs/heads/main     | repo:evil/x:repo:acme/y:ref:refs/heads/main | false",
        "*:environment:prod                  | repo:acme/train:environment:prod     | true",
        "*:environment:prod                  | repo:acme/train:environment:prod-eu  | false",
        "a*b*c                               | abc                                  | true",
        "a*b*c                               | aXXbYYc                              | true",
        "a*b*c                               | acb                                  | false",
        "a.c                                 | abc                                  | false",
        "a?c                                 | abc                                  | false",
        "[ab]                                | a                                    | false",
        "(a)+                                | a                                    | false",
        "*                                   | anything at all                      | true",
    })
    void subjectMatches_exactTextOrStars(String pattern, String subject, boolean matches) {
        assertThat(withSubject(pattern).subjectMatches(subject)).isEqualTo(matches);
    }

    @Test
    void noSubject_matchesNothing() {
        assertThat(withSubject("*").subjectMatches(null)).isFalse();
        assertThat(withSubject("repo:*").subjectMatches("")).isFalse();
        assertThat(withSubject("*").subjectMatches("")).isTrue();
    }

    /**
     * A pattern that a backtracking regular expression ({@code a.*a.*a...b}) takes exponential time on, against a
     * long subject that almost matches: answered (false) at once. The timeout only keeps a regression from hanging
     * the build; the expected cost is a few million character comparisons.
     */
    @Test
    @Timeout(60)
    void aHostilePatternAndSubject_costNothing() {
        String pattern = "*a".repeat(50) + "*b";
        String subject = "a".repeat(100_000);
        assertThat(withSubject(pattern).subjectMatches(subject)).isFalse();
        assertThat(withSubject(pattern).subjectMatches(subject + "b")).isTrue();
    }

    @Test
    void onlyWildcards_isTheTooBroadSubject() {
        assertThat(withSubject("*").subjectIsOnlyWildcards()).isTrue();
        assertThat(withSubject("**").subjectIsOnlyWildcards()).isTrue();
        assertThat(withSubject("repo:*").subjectIsOnlyWildcards()).isFalse();
    }

    @Test
    void matches_needsIssuerAudienceSubjectAndEveryClaim() {
        FederationRule rule = withSubject("repo:acme/train:*");
        Map<String, String> claims = Map.of("repository", "acme/train", "ref", "refs/heads/main");
        String sub = "repo:acme/train:ref:refs/heads/main";
        assertThat(rule.matches("https://issuer.example", List.of("x", "aud"), sub, claims)).isTrue();
        assertThat(rule.matches("https://issuer.example/", List.of("aud"), sub, claims)).isFalse();
        assertThat(rule.matches("https://issuer.example", List.of("audience"), sub, claims)).isFalse();
        assertThat(rule.matches("https://issuer.example", List.of("aud"), "repo:acme/eval:x", claims)).isFalse();
        assertThat(rule.matches("https://issuer.example", List.of("aud"), sub, Map.of("repository", "acme/eval")))
                .isFalse();
        assertThat(rule.matches("https://issuer.example", List.of("aud"), sub, Map.of())).isFalse();
    }
}
