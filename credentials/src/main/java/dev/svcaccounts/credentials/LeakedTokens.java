package dev.svcaccounts.credentials;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Finds the tokens reported as leaked: of the secrets' hashes, those of tokens not revoked nor expired, with their
 * workspace, in one statement by the unique index on {@code secret_hash}, however many were reported. Not a component:
 * only the command application, which takes the reports, makes one.
 */
public class LeakedTokens {

    /** A token to revoke, in the workspace that decides it. */
    public record Found(String workspaceId, String tokenId) {
    }

    private static final String LIVE_BY_HASH = """
            SELECT t.workspace_id, t.token_id FROM command_side.auth_token t
             WHERE t.secret_hash = ANY (?::char(64)[])
               AND t.revoked_at IS NULL
               AND (t.expires_at IS NULL OR t.expires_at > ?)
             ORDER BY t.workspace_id, t.token_id
            """;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public LeakedTokens(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The live tokens among these secret hashes (see {@code TokenSecret.hash}); none for none, without a query. */
    public List<Found> live(Collection<String> secretHashes) {
        if (secretHashes.isEmpty()) {
            return List.of();
        }
        return jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(LIVE_BY_HASH)) {
                statement.setArray(1, connection.createArrayOf("text", secretHashes.toArray()));
                statement.setTimestamp(2, Timestamp.from(clock.instant()));
                List<Found> found = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        found.add(new Found(rs.getString(1), rs.getString(2)));
                    }
                }
                return found;
            }
        });
    }
}
