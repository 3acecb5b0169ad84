package dev.svcaccounts.command.token;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.TokenIssuedEvent;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Workspace aggregate's memory of tokens: whose each is, when it expires, whether it was revoked. */
public class Tokens {

    public static final int MAX_ACTIVE_PER_PRINCIPAL = 5;

    private record TokenState(PrincipalRef owner, Instant expiresAt, boolean revoked) {
        boolean isActiveAt(Instant now) {
            return !revoked && (expiresAt == null || expiresAt.isAfter(now));
        }
    }

    private final Map<String, TokenState> tokens = new LinkedHashMap<>();

    public void issued(TokenIssuedEvent event) {
        tokens.put(event.tokenId(), new TokenState(event.owner(), event.expiresAt(), false));
    }

    public void revoked(String tokenId) {
        tokens.computeIfPresent(tokenId, (id, t) -> new TokenState(t.owner(), t.expiresAt(), true));
    }

    public boolean belongsTo(String tokenId, PrincipalRef owner) {
        TokenState token = tokens.get(tokenId);
        return token != null && token.owner().equals(owner);
    }

    public boolean isRevoked(String tokenId) {
        TokenState token = tokens.get(tokenId);
        return token != null && token.revoked();
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
