package dev.svcaccounts.command.token;

import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.refusals.DomainRuleException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A token's scope as a request sends it: each bad shape is a 400 naming what is wrong. */
class ScopeRequestTest {

    @Test
    void noScope_isTheOwnersFullAccess() {
        assertThat(ScopeRequest.parse(null)).isNull();
    }

    @Test
    void aScope_isProjectKeysWithTheirCap() {
        assertThat(ScopeRequest.parse(Map.of("churn", "viewer", "eval-2", "contributor")).projects())
                .containsExactly(Map.entry("churn", ProjectRole.VIEWER), Map.entry("eval-2", ProjectRole.CONTRIBUTOR));
    }

    @Test
    void anEmptyScope_isRefused() {
        assertRefused(Map.of(), "scope-empty");
    }

    @Test
    void aBadProjectKey_isRefusedNamingIt() {
        assertRefused(Map.of("Churn!", "viewer"), "scope-invalid-key");
        assertRefused(Map.of("-churn", "viewer"), "scope-invalid-key");
    }

    @Test
    void aBadRole_isRefusedNamingIt() {
        assertRefused(Map.of("churn", "admin"), "scope-invalid-role");
        assertRefused(Map.of("churn", "VIEWER"), "scope-invalid-role");
        Map<String, String> nullRole = new HashMap<>();
        nullRole.put("churn", null);
        assertRefused(nullRole, "scope-invalid-role");
    }

    @Test
    void moreThanAHundredProjects_isRefused() {
        Map<String, String> scope = new HashMap<>();
        IntStream.range(0, 101).forEach(i -> scope.put("p" + i, "viewer"));
        assertRefused(scope, "scope-too-large");
        scope.remove("p0");
        assertThat(ScopeRequest.parse(scope).projects()).hasSize(100);
    }

    private static void assertRefused(Map<String, String> scope, String code) {
        assertThatThrownBy(() -> ScopeRequest.parse(scope)).isInstanceOfSatisfying(DomainRuleException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.kind()).isEqualTo(DomainRuleException.Kind.INVALID);
        });
    }
}
