package dev.svcaccounts.command.token;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.TokenExpiryCause;
import dev.svcaccounts.events.TokenExpiryShortenedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenScope;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Workspace aggregate's memory of tokens: whose each is, what it may do, when it was issued and expires, whether,
 * when and why it was revoked. Tokens a token exchange gave are forgotten {@link #EXCHANGED_KEPT_AFTER_END} after they
 * ended: a pipeline exchanging a JWT per job would otherwise grow the workspace's memory (and the cost of counting
 * its working tokens) without bound. Forgetting is decided by event time, so a replay forgets the same tokens.
 */
public class Tokens {

    /** Long enough for any command decided after its request authenticated with the token; then forgotten. */
    public static final Duration EXCHANGED_KEPT_AFTER_END = Duration.ofMinutes(10);

    /**
     * A token as the workspace knows it.
     *
     * @param scope       its cap per project, null for its owner's full access
     * @param expiryCause why its expiry was brought forward, null if it never was
     * @param revokedAt   null while it is not revoked, as is {@code cause}
     * @param exchanged   obtained by a token exchange: short-lived, not counted among the owner's long-lived tokens
     */
    public record TokenState(PrincipalRef owner, Instant issuedAt, String description, TokenScope scope,
                             Instant expiresAt, TokenExpiryCause expiryCause, Instant revokedAt,
                             TokenRevocationCause cause, boolean exchanged) {

        public boolean isActiveAt(Instant now) {
            return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
        }

        TokenState revoked(Instant at, TokenRevocationCause why) {
            return new TokenState(owner, issuedAt, description, scope, expiresAt, expiryCause, at,
                    why == null ? TokenRevocationCause.REVOKED : why, exchanged);
        }

        TokenState expiringAt(Instant at, TokenExpiryCause why) {
            return new TokenState(owner, issuedAt, description, scope, at, why, revokedAt, cause, exchanged);
        }
    }

    private final Map<String, TokenState> tokens = new LinkedHashMap<>();
    /** Rotated tokens: old token id to its successor's. */
    private final Map<String, String> successors = new HashMap<>();
    /** Exchanged tokens still remembered, oldest first. */
    private final Deque<String> exchanged = new ArrayDeque<>();

    public void issued(TokenIssuedEvent event, Instant at) {
        tokens.put(event.tokenId(), new TokenState(event.owner(), at, event.description(), event.scope(),
                event.expiresAt(), null, null, null, event.exchange() != null));
        if (event.rotatedFrom() != null) {
            successors.put(event.rotatedFrom(), event.tokenId());
        }
        if (event.exchange() != null) {
            exchanged.addLast(event.tokenId());
            forgetEndedExchanged(at);
        }
    }

    /**
     * Drops the oldest exchanged tokens that ended (expired or revoked) longer than {@link #EXCHANGED_KEPT_AFTER_END}
     * before {@code now}, stopping at the first that did not: exchanged tokens live at most an hour, so the ones
     * left behind that one are few and go with a later exchange.
     */
    private void forgetEndedExchanged(Instant now) {
        Instant endedBefore = now.minus(EXCHANGED_KEPT_AFTER_END);
        while (!exchanged.isEmpty()) {
            TokenState oldest = tokens.get(exchanged.peekFirst());
            if (oldest != null && !endedBefore(oldest, endedBefore)) {
                return;
            }
            tokens.remove(exchanged.pollFirst());
        }
    }

    private static boolean endedBefore(TokenState token, Instant instant) {
        Instant end = token.revokedAt() != null ? token.revokedAt() : token.expiresAt();
        return end != null && end.isBefore(instant);
    }

    /** The token that replaced this one by a rotation; empty if it was never rotated. */
    public Optional<String> successorOf(String tokenId) {
        return Optional.ofNullable(successors.get(tokenId));
    }

    public void revoked(String tokenId, TokenRevocationCause cause, Instant at) {
        tokens.computeIfPresent(tokenId, (id, t) -> t.revokedAt() != null ? t : t.revoked(at, cause));
    }

    /** Only ever earlier, as the projections apply it. */
    public void expiryShortened(TokenExpiryShortenedEvent event) {
        tokens.computeIfPresent(event.tokenId(), (id, t) ->
                t.expiresAt() != null && !t.expiresAt().isAfter(event.expiresAt()) ? t
                        : t.expiringAt(event.expiresAt(), event.cause()));
    }

    public Optional<TokenState> find(String tokenId) {
        return Optional.ofNullable(tokens.get(tokenId));
    }

    public boolean belongsTo(String tokenId, PrincipalRef owner) {
        TokenState token = tokens.get(tokenId);
        return token != null && token.owner().equals(owner);
    }

    public boolean isRevoked(String tokenId) {
        TokenState token = tokens.get(tokenId);
        return token != null && token.revokedAt() != null;
    }

    /** The owner's working long-lived tokens: those a token exchange gave do not count. */
    public long activeCount(PrincipalRef owner, Instant now) {
        return tokens.values().stream()
                .filter(t -> t.owner().equals(owner) && !t.exchanged() && t.isActiveAt(now)).count();
    }

    /** The owner's working tokens that token exchanges gave. */
    public long activeExchangedCount(PrincipalRef owner, Instant now) {
        return tokens.values().stream()
                .filter(t -> t.owner().equals(owner) && t.exchanged() && t.isActiveAt(now)).count();
    }

    public List<String> activeOf(PrincipalRef owner, Instant now) {
        return tokens.entrySet().stream()
                .filter(e -> e.getValue().owner().equals(owner) && e.getValue().isActiveAt(now))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Every token of the workspace working at {@code now}, by id, in the order they were issued. */
    public Map<String, TokenState> activeAt(Instant now) {
        Map<String, TokenState> active = new LinkedHashMap<>();
        tokens.forEach((id, token) -> {
            if (token.isActiveAt(now)) {
                active.put(id, token);
            }
        });
        return active;
    }
}
