package dev.svcaccounts.infra.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.refusals.DomainRuleException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.io.UncheckedIOException;
import java.security.MessageDigest;

/**
 * The answer a keyed write got the first time, as kept in {@code command_side.idempotency_key}: status,
 * {@code Location} and the JSON body, never a token's secret. When that answer held one, {@code issuedTokenId}
 * names the token and the body is kept without the secret.
 */
public record StoredAnswer(byte[] fingerprint, String method, String path, int status, String location, String body,
                           String issuedTokenId) {

    /** Marks every replayed answer (as Stripe and others do): the request was carried out earlier, not now. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    /**
     * What a retry of the same request gets: the first answer. Fails with 422 when the key stood for another
     * request, and with 409 when the first answer held a secret, which is never shown twice.
     */
    public ResponseEntity<Object> replayFor(KeyedRequest retry, ObjectMapper json) {
        if (!MessageDigest.isEqual(fingerprint, retry.fingerprint())) {
            throw DomainRuleException.unprocessable("idempotency-key-reused", IdempotencyKey.HEADER + " '"
                    + retry.key() + "' was used for another request (" + method + " " + path + " with other content); "
                    + "use a new key for a new request.");
        }
        if (issuedTokenId != null) {
            throw secretReplay(json);
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).header(REPLAYED_HEADER, "true");
        if (location != null) {
            answer.header(HttpHeaders.LOCATION, location);
        }
        return body == null ? answer.build() : answer.contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private DomainRuleException secretReplay(ObjectMapper json) {
        String what = path.startsWith("/v1/admin/introspection-clients") ? "registered introspection client"
                : "issued token";
        String redo = what.endsWith("client") ? "revoke the client and register a new one"
                : "revoke the token and issue a new one";
        DomainRuleException conflict = DomainRuleException.conflict("idempotent-replay-of-secret", "This request was "
                + "carried out earlier (" + method + " " + path + " answered " + status + ") and " + what + " '"
                + issuedTokenId + "', whose secret was shown once, in that answer, and is never shown again. If that "
                + "answer was lost, " + redo + ". 'answer' is the first answer without the secret.")
                .with("tokenId", issuedTokenId)
                .with("originalStatus", status);
        if (location != null) {
            conflict = conflict.with("location", location);
        }
        return body == null ? conflict : conflict.with("answer", parse(json));
    }

    private JsonNode parse(ObjectMapper json) {
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
