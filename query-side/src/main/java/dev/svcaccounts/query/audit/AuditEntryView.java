package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.query.integrity.EntryProof;

import java.time.Instant;

/**
 * One entry of the trail. {@code account} is the user or service account the entry concerns (a token's owner, an
 * assignment's assignee), null for workspace and project entries; {@code tokenId} is the token the actor used;
 * {@code requestId} is ours, unique per request; {@code correlationId} the client's own id of it, when it sent one.
 * {@code proof} only when asked for ({@code proofs=true}): the entry's inclusion proof against a checkpoint.
 */
record AuditEntryView(long position, String eventId, Instant occurredAt, String type, Subject subject,
                      Account account, Actor actor, String tokenId, String requestId, String correlationId,
                      String clientIp, String userAgent, String reason, JsonNode details,
                      @JsonInclude(JsonInclude.Include.NON_NULL) EntryProof proof) {

    AuditEntryView withProof(EntryProof entryProof) {
        return new AuditEntryView(position, eventId, occurredAt, type, subject, account, actor, tokenId, requestId,
                correlationId, clientIp, userAgent, reason, details, entryProof);
    }

    record Subject(String type, String id) {
    }

    record Account(String type, String id) {
    }

    record Actor(String type, String id, String name) {
    }
}
