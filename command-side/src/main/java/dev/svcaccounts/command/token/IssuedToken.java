package dev.svcaccounts.command.token;

import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenScope;

import java.time.Instant;
import java.util.Map;

/**
 * The one response that ever holds a token's secret.
 *
 * @param scope project key to maximum role (wire names); null for the owner's full access
 */
public record IssuedToken(String id, String secret, String hint, String description, Instant expiresAt,
                          Map<String, String> scope) {

    public static IssuedToken of(NewToken.WithSecret issued) {
        NewToken t = issued.token();
        return new IssuedToken(t.tokenId(), issued.secret(), t.hint(), t.description(), t.expiresAt(),
                TokenScope.wireNames(t.scope()));
    }

    /** As the aggregate recorded it: the expiry is the one the workspace's credential policy gave it. */
    public static IssuedToken of(NewToken.WithSecret issued, TokenIssuedEvent recorded) {
        return new IssuedToken(recorded.tokenId(), issued.secret(), recorded.hint(), recorded.description(),
                recorded.expiresAt(), TokenScope.wireNames(recorded.scope()));
    }
}
