package dev.svcaccounts.infra.idempotency;

import dev.svcaccounts.refusals.DomainRuleException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdempotencyKeyTest {

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "\"\"", "\"abc", "a\"b", "a\\b", "caf\u00e9", "tab\there", "nul\u0000"})
    void refuses(String value) {
        assertThatThrownBy(() -> IdempotencyKey.parse(List.of(value)))
                .isInstanceOfSatisfying(DomainRuleException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainRuleException.Kind.INVALID);
                    assertThat(e.code()).isEqualTo("invalid-idempotency-key");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"k", "8e03978e-40d5-43e8-bc93-6894a57f9324", "!#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~"})
    void accepts(String value) {
        assertThat(IdempotencyKey.parse(List.of(value)).value()).isEqualTo(value);
        assertThat(IdempotencyKey.parse(List.of(" \"" + value + "\" ")).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(ints = {255, 256})
    void atMost255Characters(int length) {
        String value = "x".repeat(length);
        if (length <= IdempotencyKey.MAX_LENGTH) {
            assertThat(IdempotencyKey.parse(List.of(value)).value()).isEqualTo(value);
        } else {
            assertThatThrownBy(() -> IdempotencyKey.parse(List.of(value))).isInstanceOf(DomainRuleException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void exactlyOneHeader(int count) {
        assertThatThrownBy(() -> IdempotencyKey.parse(java.util.Collections.nCopies(count, "k")))
                .isInstanceOf(DomainRuleException.class);
    }
}
