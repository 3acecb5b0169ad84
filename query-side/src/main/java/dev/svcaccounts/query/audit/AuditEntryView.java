package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

record AuditEntryView(long position, String eventId, Instant occurredAt, String type, Subject subject, Actor actor,
                      String tokenId, String requestId, String clientIp, String userAgent, String reason,
                      JsonNode details) {

    record Subject(String type, String id) {
    }

    record Actor(String type, String id, String name) {
    }
}
