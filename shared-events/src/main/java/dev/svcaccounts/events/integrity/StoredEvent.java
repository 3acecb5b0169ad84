package dev.svcaccounts.events.integrity;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One row of the event store exactly as stored, and its canonical bytes: the data of its Merkle log leaf. Every column
 * but the global index goes in, so changing any of them (the actor in the metadata, a payload field, the time) changes
 * the leaf; the position is the leaf's place in the log, not part of its data.
 *
 * <p>Canonical bytes (version 1): the byte {@code 0x01}, then each field in this order as a 4-byte big-endian length
 * followed by its bytes, a null field as the length {@code 0xFFFFFFFF} and nothing else: event identifier, aggregate
 * identifier, sequence number (decimal), aggregate type, payload type, payload revision, time stamp (the stored text),
 * payload, metadata. Text fields are UTF-8; payload and metadata are the stored bytes. {@code scripts/VerifyAuditExport
 * .java} repeats this with the JDK only, so keep the two equal.
 */
public record StoredEvent(String eventId, String aggregateId, long sequenceNumber, String aggregateType,
                          String payloadType, String payloadRevision, String timestamp, byte[] payload,
                          byte[] metadata) {

    public static final byte VERSION = 0x01;

    public byte[] canonicalBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + length(payload) + length(metadata));
        out.write(VERSION);
        field(out, text(eventId));
        field(out, text(aggregateId));
        field(out, text(Long.toString(sequenceNumber)));
        field(out, text(aggregateType));
        field(out, text(payloadType));
        field(out, text(payloadRevision));
        field(out, text(timestamp));
        field(out, payload);
        field(out, metadata);
        return out.toByteArray();
    }

    /** SHA-256(0x00 || canonical bytes). */
    public byte[] leafHash() {
        return MerkleLog.leafHash(canonicalBytes());
    }

    private static byte[] text(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static int length(byte[] value) {
        return value == null ? 0 : value.length;
    }

    private static void field(ByteArrayOutputStream out, byte[] value) {
        int length = value == null ? -1 : value.length;
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        if (value != null) {
            out.write(value, 0, value.length);
        }
    }
}
