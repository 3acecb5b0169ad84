package dev.svcaccounts.query.projection;

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
final class StoredEventData implements TrackedEventData<byte[]>, DomainEventData<byte[]> {

    private final long globalIndex;
    private final String type;
    private final String aggregateIdentifier;
    private final long sequenceNumber;
    private final String eventIdentifier;
    private final String timestamp;
    private final String payloadType;
    private final String payloadRevision;
    private final byte[] payload;
    private final byte[] metaData;

    StoredEventData(long globalIndex, String type, String aggregateIdentifier, long sequenceNumber,
                    String eventIdentifier, String timestamp, String payloadType, String payloadRevision,
                    byte[] payload, byte[] metaData) {
        this.globalIndex = globalIndex;
        this.type = type;
        this.aggregateIdentifier = aggregateIdentifier;
        this.sequenceNumber = sequenceNumber;
        this.eventIdentifier = eventIdentifier;
        this.timestamp = timestamp;
        this.payloadType = payloadType;
        this.payloadRevision = payloadRevision;
        this.payload = payload;
        this.metaData = metaData;
    }

    long globalIndex() {
        return globalIndex;
    }

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
