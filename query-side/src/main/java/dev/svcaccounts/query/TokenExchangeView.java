package dev.svcaccounts.query;

import dev.svcaccounts.events.TokenExchange;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How a token was obtained by a token exchange (RFC 8693): the federation rule that allowed it and the JWT's
 * {@code iss}, {@code sub} and {@code jti}. Never the JWT.
 */
public record TokenExchangeView(String ruleId, String issuer, String subject, String jti) {

    /** Null for a token that was not exchanged. */
    public static TokenExchangeView of(TokenExchange exchange) {
        return exchange == null ? null
                : new TokenExchangeView(exchange.ruleId(), exchange.issuer(), exchange.subject(), exchange.jwtId());
    }

    /** From a token read model's exchange_* columns; null when the token was not exchanged. */
    static TokenExchangeView from(ResultSet rs) throws SQLException {
        String ruleId = rs.getString("exchange_rule_id");
        return ruleId == null ? null : new TokenExchangeView(ruleId, rs.getString("exchange_issuer"),
                rs.getString("exchange_subject"), rs.getString("exchange_jti"));
    }
}
