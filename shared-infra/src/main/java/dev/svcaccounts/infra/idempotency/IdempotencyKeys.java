package dev.svcaccounts.infra.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code command_side.idempotency_key}: each principal's keys of the last {@code svcaccounts.idempotency.retention}
 * (24 h) with the answer each got, shared by every node of both sides. A key is written in the transaction of the
 * write it stands for, so it exists exactly when that write committed; the PostgreSQL advisory lock of the key,
 * held by that transaction, makes a second request with the same key wait for nothing and answer 409 meanwhile.
 */
@Component
public class IdempotencyKeys {

    private static final String COLUMNS = "fingerprint, method, path, status, location, body, issued_token_id";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration retention;

    public IdempotencyKeys(JdbcTemplate jdbc, ObjectMapper json, Clock clock,
                           @Value("${svcaccounts.idempotency.retention:24h}") Duration retention) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.retention = retention;
    }

    public ObjectMapper json() {
        return json;
    }

    /** The answer of the key's first request, unless the key is unknown or older than the retention. */
    public Optional<StoredAnswer> find(KeyedRequest request) {
        KeyScope scope = request.scope();
        List<StoredAnswer> found = jdbc.query("SELECT " + COLUMNS + " FROM command_side.idempotency_key "
                        + "WHERE workspace_id = ? AND principal_type = ? AND principal_id = ? AND idempotency_key = ? "
                        + "AND created_at > ?",
                (rs, row) -> new StoredAnswer(rs.getBytes("fingerprint"), rs.getString("method"), rs.getString("path"),
                        rs.getInt("status"), rs.getString("location"), rs.getString("body"),
                        rs.getString("issued_token_id")),
                scope.workspaceId(), scope.principalType(), scope.principalId(), request.key().value(),
                Timestamp.from(cutoff()));
        return found.stream().findFirst();
    }

    /**
     * Takes the key's advisory lock for the caller's transaction, which must be the one that carries the write out
     * and stores its answer; false when another transaction, on any node, holds it: its request is in flight.
     */
    public boolean tryLock(KeyedRequest request) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))",
                Boolean.class, request.scope().lockText(request.key())));
    }

    /**
     * Keeps the answer in the caller's transaction (an expired row of the same key is replaced). Throws the
     * request's 409 "in flight" if a live row exists, which the key's lock should have made impossible.
     */
    public void store(KeyedRequest request, StoredAnswer answer) {
        KeyScope scope = request.scope();
        int stored = jdbc.update("INSERT INTO command_side.idempotency_key "
                        + "(workspace_id, principal_type, principal_id, idempotency_key, " + COLUMNS + ", created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (workspace_id, principal_type, principal_id, idempotency_key) DO UPDATE SET "
                        + "fingerprint = EXCLUDED.fingerprint, method = EXCLUDED.method, path = EXCLUDED.path, "
                        + "status = EXCLUDED.status, location = EXCLUDED.location, body = EXCLUDED.body, "
                        + "issued_token_id = EXCLUDED.issued_token_id, created_at = EXCLUDED.created_at "
                        + "WHERE idempotency_key.created_at <= ?",
                scope.workspaceId(), scope.principalType(), scope.principalId(), request.key().value(),
                answer.fingerprint(), answer.method(), answer.path(), answer.status(), answer.location(), answer.body(),
                answer.issuedTokenId(), Timestamp.from(clock.instant()), Timestamp.from(cutoff()));
        if (stored != 1) {
            throw request.inFlight();
        }
    }

    /**
     * The answer to keep for {@code response}: status, {@code Location} and the body as JSON, with a token's
     * {@code secret} or a client's {@code client_secret} taken out (its id is kept instead).
     */
    public StoredAnswer answerOf(KeyedRequest request, ResponseEntity<?> response) {
        URI location = response.getHeaders().getLocation();
        String body = null;
        String issuedTokenId = null;
        if (response.getBody() != null) {
            JsonNode tree = json.valueToTree(response.getBody());
            List<String> tokenIds = new ArrayList<>();
            withoutSecrets(tree, tokenIds);
            if (tokenIds.size() > 1) {
                throw new IllegalStateException("an answer with more than one token secret: " + tokenIds);
            }
            issuedTokenId = tokenIds.isEmpty() ? null : tokenIds.get(0);
            try {
                body = json.writeValueAsString(tree);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an answer that cannot be written as JSON", e);
            }
        }
        return new StoredAnswer(request.fingerprint(), request.method(), request.path(),
                response.getStatusCode().value(), location == null ? null : location.toString(), body, issuedTokenId);
    }

    /**
     * Removes every {@code secret} member (a token as the API returns it), noting the id of its token, and every
     * {@code client_secret} (an introspection client just registered), noting its {@code client_id}.
     */
    private static void withoutSecrets(JsonNode node, List<String> tokenIds) {
        if (node instanceof ObjectNode object && object.has("secret")) {
            object.remove("secret");
            tokenIds.add(object.path("id").asText());
        }
        if (node instanceof ObjectNode object && object.has("client_secret")) {
            object.remove("client_secret");
            tokenIds.add(object.path("client_id").asText());
        }
        node.forEach(child -> withoutSecrets(child, tokenIds));
    }

    /** Deletes up to {@code limit} keys older than the retention; returns how many. */
    int deleteExpired(int limit) {
        return jdbc.update("DELETE FROM command_side.idempotency_key WHERE ctid = ANY (ARRAY(SELECT ctid FROM "
                + "command_side.idempotency_key WHERE created_at <= ? LIMIT ?))", Timestamp.from(cutoff()), limit);
    }

    private Instant cutoff() {
        return clock.instant().minus(retention);
    }
}
