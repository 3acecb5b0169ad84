package dev.svcaccounts.infra.metrics;

import dev.svcaccounts.events.TokenRefusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code svcaccounts_ended_tokens_presented_total{rule}}: requests refused 401 because their token worked once and
 * has ended, by why ({@link TokenRefusal}'s rules: {@code token-expired}, {@code token-revoked},
 * {@code account-deactivated}, {@code account-deleted}, {@code member-removed}, {@code token-rotated},
 * {@code token-leaked}, {@code policy-max-lifetime}, {@code policy-idle}). With {@code rule="token-expired"}
 * it is the honest count of "expired tokens": an expiry is no event, so nothing happens when a token expires, only
 * when it is presented afterwards.
 */
@Component
public class EndedTokenCounter {

    private static final List<String> RULES = List.of(TokenRefusal.TOKEN_EXPIRED, TokenRefusal.TOKEN_REVOKED,
            TokenRefusal.ACCOUNT_DEACTIVATED, TokenRefusal.ACCOUNT_DELETED, TokenRefusal.MEMBER_REMOVED,
            TokenRefusal.TOKEN_ROTATED, TokenRefusal.TOKEN_LEAKED, TokenRefusal.POLICY_MAX_LIFETIME,
            TokenRefusal.POLICY_IDLE);

    private final Map<String, Counter> counters;
    private final Counter other;

    public EndedTokenCounter(MeterRegistry registry) {
        this.counters = RULES.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                rule -> counter(registry, rule)));
        this.other = counter(registry, "other");
    }

    private static Counter counter(MeterRegistry registry, String rule) {
        return Counter.builder("svcaccounts.ended.tokens.presented")
                .description("Requests refused 401 with a token that worked once and has ended, by the rule that "
                        + "ended it")
                .tag("rule", rule)
                .register(registry);
    }

    public void count(String rule) {
        counters.getOrDefault(rule, other).increment();
    }
}
