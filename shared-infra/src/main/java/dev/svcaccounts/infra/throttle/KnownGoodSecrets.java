package dev.svcaccounts.infra.throttle;

import dev.svcaccounts.infra.security.SecretDigests;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets that authenticated on this node in the last {@link #KEPT_FOR}, as keyed digests: a client whose address is
 * throttled for failed authentications (say behind the same NAT or proxy as a guesser) still gets through with a
 * token that has worked here, and nobody learns from the throttled answer whether a guess was right. At most
 * {@code max} are kept.
 */
final class KnownGoodSecrets {

    static final Duration KEPT_FOR = Duration.ofHours(1);
    /** A use is written down again only after this long, so that most requests only read the map. */
    private static final long REFRESH_MILLIS = Duration.ofMinutes(1).toMillis();

    private final SecretDigests digests;
    private final Clock clock;
    private final int max;
    private final Map<String, Long> lastSuccess = new ConcurrentHashMap<>();

    KnownGoodSecrets(SecretDigests digests, Clock clock, int max) {
        this.digests = digests;
        this.clock = clock;
        this.max = max;
    }

    void succeeded(String secret) {
        String digest = digests.of(secret);
        long now = clock.millis();
        Long last = lastSuccess.get(digest);
        if (last != null && now - last < REFRESH_MILLIS) {
            return;
        }
        if (last != null || lastSuccess.size() < max) {
            lastSuccess.put(digest, now);
        }
    }

    boolean isKnown(String secret) {
        Long last = lastSuccess.get(digests.of(secret));
        return last != null && clock.millis() - last < KEPT_FOR.toMillis();
    }

    void forgetOld() {
        long oldest = clock.millis() - KEPT_FOR.toMillis();
        lastSuccess.values().removeIf(at -> at < oldest);
    }
}
