package dev.svcaccounts.command.token;

import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.refusals.DomainRuleException;

import java.time.Instant;
import java.util.UUID;

/**
 * A token about to be issued: what goes into the command (id, hash, hint) and, kept apart, the secret that is
 * returned to the caller once. The secret itself never enters a command, an event or a table.
 *
 * @param scope its cap per project ({@link TokenScope}); null for its owner's full access
 */
public record NewToken(String tokenId, String secretHash, String hint, String description, Instant expiresAt,
                       TokenScope scope) {

    /** A token with its owner's full access. */
    public NewToken(String tokenId, String secretHash, String hint, String description, Instant expiresAt) {
        this(tokenId, secretHash, hint, description, expiresAt, null);
    }

    public record WithSecret(NewToken token, String secret) {
    }

    /** PostgreSQL's timestamps end in year 294276; no token needs to outlive year 9999. */
    public static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * An expiry asked for with a creation, a reactivation or a new member ({@code tokenExpiresAt}), refused beyond
     * {@link #LATEST_EXPIRY} as the issue of a token refuses it.
     */
    public static Instant requireNotTooLate(String field, Instant expiresAt) {
        if (expiresAt != null && expiresAt.isAfter(LATEST_EXPIRY)) {
            throw DomainRuleException.invalid("expiry-too-late", field + " must be at most "
                    + LATEST_EXPIRY + "; leave it out for a token that does not expire.");
        }
        return expiresAt;
    }

    public static WithSecret generate(PrincipalType ownerType, String description, Instant expiresAt) {
        return generate(ownerType, description, expiresAt, null);
    }

    public static WithSecret generate(PrincipalType ownerType, String description, Instant expiresAt,
                                      TokenScope scope) {
        String secret = TokenSecret.generateFor(ownerType);
        NewToken token = new NewToken(UUID.randomUUID().toString(), TokenSecret.hash(secret),
                TokenSecret.hint(secret), description, expiresAt, scope);
        return new WithSecret(token, secret);
    }

    @Override
    public String toString() {
        return "NewToken[" + tokenId + ", " + hint + "]";
    }
}
