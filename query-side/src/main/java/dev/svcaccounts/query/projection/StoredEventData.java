package dev.svcaccounts.query.projection;

import dev.svcaccounts.infra.axon.IsoInstants;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedMetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;

import java.time.Instant;

/**
 * One row of the event store as Axon's upcasters and serializer take it, as its {@code TrackedDomainEventData} of a
 * {@code GenericDomainEventEntry} would give it, but for the timestamp: parsed by {@link IsoInstants} instead of
 * Axon's {@code DateTimeFormatter} (the same instant).
 */
record StoredEventData(long globalIndex, String type, String aggregateIdentifier, long sequenceNumber,
                       String eventIdentifier, String timestamp, String payloadType, String payloadRevision,
                       byte[] payload, byte[] metaData) implements TrackedEventData<byte[]>, DomainEventData<byte[]> {

    @Override
    public TrackingToken trackingToken() {
        return new GlobalSequenceTrackingToken(globalIndex);
    }

    @Override
    public String getType() {
        return type;
    }

    @Override
    public String getAggregateIdentifier() {
        return aggregateIdentifier;
    }

    @Override
    public long getSequenceNumber() {
        return sequenceNumber;
    }

    @Override
    public String getEventIdentifier() {
        return eventIdentifier;
    }

    @Override
    public Instant getTimestamp() {
        return IsoInstants.parse(timestamp);
    }

    @Override
    public SerializedObject<byte[]> getMetaData() {
        return new SerializedMetaData<>(metaData, byte[].class);
    }

    @Override
    public SerializedObject<byte[]> getPayload() {
        return new SimpleSerializedObject<>(payload, byte[].class, payloadType, payloadRevision);
    }
}
