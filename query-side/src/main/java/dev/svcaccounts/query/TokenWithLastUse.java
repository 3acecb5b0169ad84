package dev.svcaccounts.query;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Token metadata with the token's last use ({@link LastUse}): what {@code GET .../tokens} lists, for service
 * accounts and users alike. The account's detail lists plain {@link TokenView}s: its {@code ?at=} form answers what
 * the endpoint answered then, and last use, not being an event, has no past.
 *
 * @param neverUsed no use recorded since the token was issued (a use shows up one flush interval late)
 */
public record TokenWithLastUse(@JsonUnwrapped TokenView token, Instant lastUsedAt, String lastUsedIp,
                               boolean neverUsed) {

    /** From a token read model's row selected with {@link LastUse#COLUMNS}, as of {@code now}. */
    public static TokenWithLastUse from(ResultSet rs, Instant now) throws SQLException {
        LastUse lastUse = LastUse.of(rs);
        return new TokenWithLastUse(TokenView.from(rs, now), lastUse.at(), lastUse.ip(), lastUse.never());
    }
}
