package dev.svcaccounts.infra.axon;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class EventArrivalsTest {

    private final EventArrivals arrivals = new EventArrivals();
    private final List<String> log = new ArrayList<>();

    @Test
    void aProcessorsStreamThatFoundNothing_isWokenOnce_afterTheNextEventIsTaken() {
        FakeStream store = new FakeStream();
        TrackingEventStream stream = arrivals.wrap(store);
        assertThat(stream.setOnAvailableCallback(() -> log.add("woken"))).isTrue();
        assertThat(stream.hasNextAvailable()).isFalse();

        arrivals.announcing(Stream.of("e1", "e2")).forEach(event -> log.add("taken " + event));

        assertThat(log).containsExactly("taken e1", "woken", "taken e2");
    }

    @Test
    void aStreamThatFoundEvents_orHasNoCallback_orWasClosed_isNotWoken() {
        FakeStream busy = new FakeStream();
        TrackingEventStream found = arrivals.wrap(busy);
        found.setOnAvailableCallback(() -> log.add("found"));
        busy.available.set(true);
        assertThat(found.hasNextAvailable()).isTrue();

        TrackingEventStream tracking = arrivals.wrap(new FakeStream());
        assertThat(tracking.hasNextAvailable()).isFalse();

        TrackingEventStream closed = arrivals.wrap(new FakeStream());
        closed.setOnAvailableCallback(() -> log.add("closed"));
        assertThat(closed.hasNextAvailable()).isFalse();
        closed.close();

        arrivals.announcing(Stream.of("e1")).forEach(event -> log.add("taken " + event));
        assertThat(log).containsExactly("taken e1");
    }

    @Test
    void aStreamLooksAgainAfterItWasWoken_andIsWokenAgain() {
        TrackingEventStream stream = arrivals.wrap(new FakeStream());
        stream.setOnAvailableCallback(() -> log.add("woken"));
        stream.hasNextAvailable();
        arrivals.announcing(Stream.of("e1")).forEach(event -> { });
        stream.hasNextAvailable();
        arrivals.announcing(Stream.of("e2")).forEach(event -> { });
        assertThat(log).containsExactly("woken", "woken");
    }

    @Test
    void theAnnouncedStream_closesItsSource() {
        AtomicBoolean closed = new AtomicBoolean();
        try (Stream<String> events = arrivals.announcing(Stream.of("e1").onClose(() -> closed.set(true)))) {
            assertThat(events.toList()).containsExactly("e1");
        }
        assertThat(closed).isTrue();
    }

    /** A store's stream with an event available or not. */
    private static final class FakeStream implements TrackingEventStream {

        final AtomicBoolean available = new AtomicBoolean();

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return Optional.empty();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) {
            return available.get();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
