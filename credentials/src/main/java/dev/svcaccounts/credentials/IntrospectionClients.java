package dev.svcaccounts.credentials;

import dev.svcaccounts.events.TokenSecret;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The clients of {@code /v1/introspect}, from {@code command_side.auth_introspection_client}, which the command that
 * registers or revokes one writes in its own transaction. Authenticating one is a single primary-key look-up that
 * compares the SHA-256 of the secret (256 random bits need no salt or stretching, as for tokens); a secret that
 * cannot be a client's is refused without a round trip.
 */
@Component
public class IntrospectionClients {

    private static final int MAX_CLIENT_ID_LENGTH = 64;
    private static final String COLUMNS =
            "client_id, name, description, hint, registered_at, registered_by, revoked_at";

    /** A client as listed to the operator: never its secret or hash. */
    public record Client(String clientId, String name, String description, String hint, Instant registeredAt,
                         String registeredBy, Instant revokedAt) {
    }

    private final JdbcTemplate jdbc;

    public IntrospectionClients(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether {@code secret} is the secret of the client {@code clientId}, and that client is not revoked. */
    public boolean authenticate(String clientId, String secret) {
        if (clientId == null || clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID_LENGTH
                || secret == null || !secret.startsWith(TokenSecret.INTROSPECTION_CLIENT_PREFIX)
                || !TokenSecret.isWellFormed(secret)) {
            return false;
        }
        List<Integer> found = jdbc.queryForList("""
                SELECT 1 FROM command_side.auth_introspection_client
                 WHERE client_id = ? AND secret_hash = ? AND revoked_at IS NULL
                """, Integer.class, clientId, TokenSecret.hash(secret));
        return !found.isEmpty();
    }

    /** Every client ever registered, revoked ones included, oldest first. */
    public List<Client> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM command_side.auth_introspection_client "
                + "ORDER BY registered_at, client_id", (rs, i) -> client(rs));
    }

    public Optional<Client> find(String clientId) {
        if (clientId == null || clientId.length() > MAX_CLIENT_ID_LENGTH) {
            return Optional.empty();
        }
        return jdbc.query("SELECT " + COLUMNS + " FROM command_side.auth_introspection_client WHERE client_id = ?",
                (rs, i) -> client(rs), clientId).stream().findFirst();
    }

    private static Client client(ResultSet rs) throws SQLException {
        return new Client(rs.getString("client_id"), rs.getString("name"), rs.getString("description"),
                rs.getString("hint"), instant(rs.getTimestamp("registered_at")), rs.getString("registered_by"),
                instant(rs.getTimestamp("revoked_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
