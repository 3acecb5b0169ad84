package dev.svcaccounts.command.federation.exchange;

import dev.svcaccounts.command.federation.jwt.ExchangeRefusal;
import dev.svcaccounts.infra.throttle.ClientAddresses;
import dev.svcaccounts.infra.throttle.ClusterCounters;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Refused exchanges per client address (IPv6: per /64), across the cluster ({@link ClusterCounters}, shared by the
 * throttles' sync): {@code svcaccounts.throttle.token-exchanges.*} (TOKEN_EXCHANGE_REFUSAL_LIMIT, _WINDOW; 0 turns it
 * off). An address refused that often is answered 429 before its JWT is even parsed, so guessing costs the guesser;
 * successful exchanges count nothing, so a busy CI runner is never held back by its own success.
 */
@Component
class ExchangeThrottle {

    static final String BUCKET = "token-exchanges";
    private static final int MAX_KEYS = 100_000;

    /** Answered 429 with {@code Retry-After}. */
    static final class TooMany extends ExchangeRefusal {
        private final long retryAfterSeconds;

        TooMany(String description, long retryAfterSeconds) {
            super(INVALID_REQUEST, "too-many-refusals", description);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private final ClusterCounters counters;

    ExchangeThrottle(@Qualifier(BUCKET) ClusterCounters counters) {
        this.counters = counters;
    }

    /** The counters, a bean so that the throttles' sync shares them between the nodes. */
    @Configuration(proxyBeanMethods = false)
    static class Counters {
        @Bean(BUCKET)
        ClusterCounters tokenExchangeRefusals(@Value("${svcaccounts.throttle.token-exchanges.limit:60}") long limit,
                                              @Value("${svcaccounts.throttle.token-exchanges.window:10m}")
                                              Duration window, Clock clock) {
            return new ClusterCounters(BUCKET, limit, window, clock, MAX_KEYS);
        }
    }

    void requireRoom(String remoteAddress) {
        OptionalLong wait = counters.blockedForMillis(ClientAddresses.key(remoteAddress));
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.getAsLong() + 999) / 1000);
            throw new TooMany("More than " + counters.limit() + " exchanges from this address were refused in "
                    + counters.window().toSeconds() + " seconds; retry after " + seconds + " seconds.", seconds);
        }
    }

    void refused(String remoteAddress) {
        counters.add(ClientAddresses.key(remoteAddress));
    }
}
