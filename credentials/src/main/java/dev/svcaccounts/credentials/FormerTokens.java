package dev.svcaccounts.credentials;

import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.TokenExpiryCause;
import dev.svcaccounts.events.TokenRefusal;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenSecret;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tokens that worked once and no longer do: whose each was and which rule refuses it now, for the audit trail of
 * refused requests. Unknown and malformed secrets have no owner to attribute a refusal to, so they are not found.
 */
@Component
public class FormerTokens {

    /** A token that is refused now: its owner as the credential tables know it, and why it is refused. */
    public record RefusedToken(AuthenticatedPrincipal owner, String rule, String detail) {
    }

    private static final String BY_HASH = """
            SELECT t.token_id, t.workspace_id, t.principal_type, t.principal_id, t.expires_at, t.revoked_at,
                   t.revocation_cause, t.expiry_cause, t.scope, p.display_name, p.workspace_role, p.active
            """ + CredentialStore.TOKEN_AND_PRINCIPAL + """
             WHERE t.secret_hash = ?
            """;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public FormerTokens(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The token with this secret if it is known but refused right now; empty if unknown, malformed or working. */
    public Optional<RefusedToken> refused(String secret) {
        if (!CredentialStore.isPrincipalSecret(secret)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        List<Optional<RefusedToken>> found = jdbc.query(BY_HASH, (rs, i) -> {
            AuthenticatedPrincipal owner = CredentialStore.principal(rs);
            String cause = rs.getString("revocation_cause");
            String expiryCause = rs.getString("expiry_cause");
            return whyRefused(now, instant(rs.getTimestamp("revoked_at")),
                    cause == null ? null : TokenRevocationCause.valueOf(cause),
                    instant(rs.getTimestamp("expires_at")),
                    expiryCause == null ? null : TokenExpiryCause.valueOf(expiryCause),
                    rs.getBoolean("active"), owner.type())
                    .map(why -> new RefusedToken(owner, why.rule(), why.detail()));
        }, TokenSecret.hash(secret));
        return found.stream().findFirst().flatMap(refused -> refused);
    }

    record Why(String rule, String detail) {
    }

    /** Which rule refuses a token now; empty when it works (see {@link TokenRefusal#of}). */
    static Optional<Why> whyRefused(Instant now, Instant revokedAt, TokenRevocationCause cause, Instant expiresAt,
                                    TokenExpiryCause expiryCause, boolean ownerActive, PrincipalType ownerType) {
        return TokenRefusal.of(now, revokedAt, cause, expiresAt, expiryCause, ownerActive, ownerType)
                .map(refusal -> new Why(refusal.rule(), refusal.detail()));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
