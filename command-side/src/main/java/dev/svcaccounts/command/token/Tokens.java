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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
    /**
     * The ids of the tokens not revoked, in the order they were issued, in all and by owner: what the rules count and
     * list. {@link #tokens} also keeps every revoked long-lived token, so a workspace whose pipelines issue and revoke
     * a token per job would make each count a walk through all of them.
     */
    private final Set<String> unrevoked = new LinkedHashSet<>();
    private final Map<PrincipalRef, Set<String>> unrevokedByOwner = new HashMap<>();
    /** Rotated tokens: old token id to its successor's. */
    private final Map<String, String> successors = new HashMap<>();
    /** Exchanged tokens still remembered, oldest first. */
    private final Deque<String> exchanged = new ArrayDeque<>();

    public void issued(TokenIssuedEvent event, Instant at) {
        TokenState previous = tokens.put(event.tokenId(), new TokenState(event.owner(), at, event.description(),
                event.scope(), event.expiresAt(), null, null, null, event.exchange() != null));
        if (previous != null) { // an id is issued once; should it ever come twice, the index follows the map
            forgetUnrevoked(event.tokenId(), previous.owner());
        }
        unrevoked.add(event.tokenId());
        unrevokedByOwner.computeIfAbsent(event.owner(), owner -> new LinkedHashSet<>()).add(event.tokenId());
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
            String id = exchanged.pollFirst();
            TokenState forgotten = tokens.remove(id);
            if (forgotten != null) {
                forgetUnrevoked(id, forgotten.owner());
            }
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
        TokenState token = tokens.get(tokenId);
        if (token != null && token.revokedAt() == null) {
            tokens.put(tokenId, token.revoked(at, cause));
            forgetUnrevoked(tokenId, token.owner());
        }
    }

    private void forgetUnrevoked(String tokenId, PrincipalRef owner) {
        unrevoked.remove(tokenId);
        Set<String> owners = unrevokedByOwner.get(owner);
        if (owners != null && owners.remove(tokenId) && owners.isEmpty()) {
            unrevokedByOwner.remove(owner);
        }
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
        return unrevokedOf(owner).stream().map(tokens::get).filter(t -> !t.exchanged() && t.isActiveAt(now)).count();
    }

    /** The owner's working tokens that token exchanges gave. */
    public long activeExchangedCount(PrincipalRef owner, Instant now) {
        return unrevokedOf(owner).stream().map(tokens::get).filter(t -> t.exchanged() && t.isActiveAt(now)).count();
    }

    /** The owner's working tokens, in the order they were issued. */
    public List<String> activeOf(PrincipalRef owner, Instant now) {
        return unrevokedOf(owner).stream().filter(id -> tokens.get(id).isActiveAt(now)).toList();
    }

    /** How many tokens the counts and listings walk at most: those not revoked. */
    int unrevokedCount() {
        return unrevoked.size();
    }

    private Set<String> unrevokedOf(PrincipalRef owner) {
        return unrevokedByOwner.getOrDefault(owner, Set.of());
    }

    /** Every token of the workspace working at {@code now}, by id, in the order they were issued. */
    public Map<String, TokenState> activeAt(Instant now) {
        Map<String, TokenState> active = new LinkedHashMap<>();
        for (String id : unrevoked) {
            TokenState token = tokens.get(id);
            if (token.isActiveAt(now)) {
                active.put(id, token);
            }
        }
        return active;
    }
}
