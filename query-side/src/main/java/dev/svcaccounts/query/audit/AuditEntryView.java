package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One entry of the trail. {@code account} is the user or service account the entry concerns (a token's owner, an
 * assignment's assignee), null for workspace and project entries; {@code tokenId} is the token the actor used;
 * {@code requestId} is ours, unique per request; {@code correlationId} the client's own id of it, when it sent one.
 */
record AuditEntryView(long position, String eventId, Instant occurredAt, String type, Subject subject,
                      Account account, Actor actor, String tokenId, String requestId, String correlationId,
                      String clientIp, String userAgent, String reason, JsonNode details) {

    record Subject(String type, String id) {
    }

    record Account(String type, String id) {
    }

    record Actor(String type, String id, String name) {
    }
}
