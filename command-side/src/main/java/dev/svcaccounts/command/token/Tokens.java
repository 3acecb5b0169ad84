package dev.svcaccounts.command.token;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevocationCause;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Workspace aggregate's memory of tokens: whose each is, when it expires, whether, when and why it was revoked.
 */
public class Tokens {

    /** A token as the workspace knows it; {@code revokedAt} and {@code cause} are null while it is not revoked. */
    public record TokenState(PrincipalRef owner, Instant expiresAt, Instant revokedAt, TokenRevocationCause cause) {

        boolean isActiveAt(Instant now) {
            return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
        }
    }

    private final Map<String, TokenState> tokens = new LinkedHashMap<>();

    public void issued(TokenIssuedEvent event) {
        tokens.put(event.tokenId(), new TokenState(event.owner(), event.expiresAt(), null, null));
    }

    public void revoked(String tokenId, TokenRevocationCause cause, Instant at) {
        tokens.computeIfPresent(tokenId, (id, t) -> t.revokedAt() != null ? t
                : new TokenState(t.owner(), t.expiresAt(), at, cause == null ? TokenRevocationCause.REVOKED : cause));
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

    public long activeCount(PrincipalRef owner, Instant now) {
        return tokens.values().stream().filter(t -> t.owner().equals(owner) && t.isActiveAt(now)).count();
    }

    public List<String> activeOf(PrincipalRef owner, Instant now) {
        return tokens.entrySet().stream()
                .filter(e -> e.getValue().owner().equals(owner) && e.getValue().isActiveAt(now))
                .map(Map.Entry::getKey)
                .toList();
    }
}
