package dev.svcaccounts.command.token;

import dev.svcaccounts.events.TokenIssuedEvent;

import java.time.Instant;

/** The one response that ever holds a token's secret. */
public record IssuedToken(String id, String secret, String hint, String description, Instant expiresAt) {

    public static IssuedToken of(NewToken.WithSecret issued) {
        NewToken t = issued.token();
        return new IssuedToken(t.tokenId(), issued.secret(), t.hint(), t.description(), t.expiresAt());
    }

    /** As the aggregate recorded it: the expiry is the one the workspace's credential policy gave it. */
    public static IssuedToken of(NewToken.WithSecret issued, TokenIssuedEvent recorded) {
        return new IssuedToken(recorded.tokenId(), issued.secret(), recorded.hint(), recorded.description(),
                recorded.expiresAt());
    }
}
