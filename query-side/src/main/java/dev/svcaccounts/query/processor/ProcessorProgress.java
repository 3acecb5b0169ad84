package dev.svcaccounts.query.processor;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/** How far each streaming processor of this node is behind the head of the event store. */
@Component
public class ProcessorProgress {

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;

    public ProcessorProgress(EventProcessingConfiguration processing, EventStore eventStore) {
        this.processing = processing;
        this.eventStore = eventStore;
    }

    public Map<String, StreamingEventProcessor> processors() {
        Map<String, StreamingEventProcessor> streaming = new TreeMap<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor s) {
                streaming.put(name, s);
            }
        });
        return streaming;
    }

    private long headPosition() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? 0 : head.position().orElse(0);
    }

    /**
     * Events between the head of the store and the slowest segment this node holds; -1 while the processor
     * holds no segment (another node may, or it has not claimed one yet).
     */
    public long lag(StreamingEventProcessor processor) {
        long head = headPosition();
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        if (status.isEmpty()) {
            return -1;
        }
        return status.values().stream()
                .mapToLong(s -> {
                    OptionalLong position = s.getCurrentPosition();
                    return head - position.orElse(-1);
                })
                .max()
                .orElse(-1);
    }
}
