package dev.svcaccounts.command.federation.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Issuers' key sets by {@code jwksUri}, kept as long as the issuer's {@code Cache-Control: max-age} says (bounded by
 * {@link SafeJwksFetcher}). One fetch at a time per URI: concurrent exchanges wait for it and use its result instead
 * of fetching too. A key id the set lacks fetches it again at most once per {@code refetchInterval}
 * ({@code svcaccounts.federation.jwks-refetch-interval}, a minute), so an issuer's key rotation is picked up without a
 * restart and a stream of made-up key ids costs one fetch a minute. A failed fetch is not tried again for
 * {@link #RETRY_AFTER_FAILURE} (or the refetch interval, when shorter; exchanges fail fast with its reason meanwhile);
 * while it fails the last keys fetched stay usable up to {@link #STALE_LIMIT} after they were fetched. Only the issuer
 * whose keys cannot be had is refused.
 */
@Component
public class JwksCache {

    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);
    static final Duration STALE_LIMIT = Duration.ofHours(24);

    private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);

    private final SafeJwksFetcher fetcher;
    private final Clock clock;
    private final Duration refetchInterval;
    private final Duration retryAfterFailure;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    public JwksCache(SafeJwksFetcher fetcher, Clock clock,
                     @Value("${svcaccounts.federation.jwks-refetch-interval:1m}") Duration refetchInterval) {
        this.fetcher = fetcher;
        this.clock = clock;
        this.refetchInterval = refetchInterval;
        this.retryAfterFailure = refetchInterval.compareTo(RETRY_AFTER_FAILURE) < 0 ? refetchInterval
                : RETRY_AFTER_FAILURE;
    }

    /** The set at {@code jwksUri}, fetched when none fresh is kept. */
    JWKSet keys(String jwksUri, String issuer) {
        Slot slot = slots.computeIfAbsent(jwksUri, uri -> new Slot());
        Known known = slot.known;
        if (known != null && known.freshAt(clock.instant())) {
            return known.keys;
        }
        slot.lock.lock();
        try {
            Instant now = clock.instant();
            known = slot.known;
            if (known != null && known.freshAt(now)) {
                return known.keys;
            }
            if (known == null || !known.failedRecently(now, retryAfterFailure)) {
                known = fetch(slot, jwksUri, issuer, now);
            }
            if (known.usableAt(now)) {
                return known.keys;
            }
            throw unreachable(issuer, known.failure);
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * After a key id the set lacks: the set fetched again, unless it was fetched (or tried) less than a minute ago.
     * A fetch another exchange made meanwhile counts: its set is returned.
     */
    Optional<JWKSet> refetched(String jwksUri, String issuer) {
        Slot slot = slots.computeIfAbsent(jwksUri, uri -> new Slot());
        Known seen = slot.known;
        slot.lock.lock();
        try {
            Instant now = clock.instant();
            Known known = slot.known;
            if (known != seen && known != null && known.failure == null) {
                return Optional.of(known.keys);
            }
            if (known != null && now.isBefore(known.attemptedAt.plus(refetchInterval))) {
                return Optional.empty();
            }
            known = fetch(slot, jwksUri, issuer, now);
            return known.failure == null ? Optional.of(known.keys) : Optional.empty();
        } finally {
            slot.lock.unlock();
        }
    }

    /** How many exchanges wait for a fetch of {@code jwksUri} under way (for tests). */
    int waitingFor(String jwksUri) {
        Slot slot = slots.get(jwksUri);
        return slot == null ? 0 : slot.lock.getQueueLength();
    }

    private Known fetch(Slot slot, String jwksUri, String issuer, Instant now) {
        Known previous = slot.known;
        Known known;
        try {
            SafeJwksFetcher.Fetched fetched = fetcher.fetch(jwksUri);
            known = new Known(fetched.keys(), now, now.plus(fetched.maxAge()), now, null);
        } catch (JwksFetchException e) {
            LOG.warn("Could not fetch the keys of issuer {} from {}: {}", issuer, jwksUri, e.getMessage());
            known = previous == null || previous.keys == null
                    ? new Known(null, null, null, now, e.getMessage())
                    : new Known(previous.keys, previous.fetchedAt, previous.freshUntil, now, e.getMessage());
        }
        slot.known = known;
        return known;
    }

    private static ExchangeRefusal unreachable(String issuer, String failure) {
        return ExchangeRefusal.invalidGrant("issuer-unreachable",
                "could not fetch the keys of issuer " + issuer + ": " + failure);
    }

    private static final class Slot {
        private final ReentrantLock lock = new ReentrantLock();
        private volatile Known known;
    }

    /**
     * What is known of one URI: the keys last fetched (null when none ever was), when, until when they are fresh,
     * when a fetch was last tried and why it failed (null when it did not).
     */
    private record Known(JWKSet keys, Instant fetchedAt, Instant freshUntil, Instant attemptedAt, String failure) {

        boolean freshAt(Instant now) {
            return keys != null && now.isBefore(freshUntil);
        }

        boolean failedRecently(Instant now, Duration retryAfter) {
            return failure != null && now.isBefore(attemptedAt.plus(retryAfter));
        }

        boolean usableAt(Instant now) {
            return keys != null && now.isBefore(fetchedAt.plus(STALE_LIMIT));
        }
    }
}
