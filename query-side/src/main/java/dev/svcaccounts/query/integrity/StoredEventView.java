package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.StoredEvent;

import java.util.Base64;

/**
 * An event-store row as it is stored now, in a proof: what an auditor hashes (StoredEvent's canonical bytes) to get
 * the leaf. The payload and metadata are the stored bytes in standard Base64.
 */
public record StoredEventView(String eventId, String aggregateId, long sequenceNumber, String aggregateType,
                              String payloadType, String payloadRevision, String timestamp, String payload,
                              String metadata) {

    static StoredEventView of(StoredEvent event) {
        return new StoredEventView(event.eventId(), event.aggregateId(), event.sequenceNumber(),
                event.aggregateType(), event.payloadType(), event.payloadRevision(), event.timestamp(),
                base64(event.payload()), base64(event.metadata()));
    }

    private static String base64(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }
}
