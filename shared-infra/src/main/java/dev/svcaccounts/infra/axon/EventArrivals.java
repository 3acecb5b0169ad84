package dev.svcaccounts.infra.axon;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;

import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Wakes the pooled processors when the event store has taken in new events. Without it, a pooled processor's
 * coordinator that found no event looks again 0.5 s later (Axon's fixed interval for a stream that cannot say when
 * events arrive), which was the read models' usual lag behind a command. Here every stream a processor opens says
 * it can ({@link #wrap}), and the store's reads announce each event as they hand it over ({@link #announcing}): the
 * embedded store's poller (every {@code svcaccounts.event-poll-interval-ms}) links the event where the processors'
 * streams find it, then the streams that found nothing are woken. A stream arms itself before it looks, so an event
 * taken in after the look always wakes it; a wake that finds nothing only costs the coordinator one look.
 */
final class EventArrivals {

    private final Set<ArrivalAwareStream> waiting = ConcurrentHashMap.newKeySet();

    /** A processor's stream that can be woken. */
    TrackingEventStream wrap(TrackingEventStream stream) {
        return new ArrivalAwareStream(stream);
    }

    /** {@code events}, announcing each one once its consumer has taken it. */
    <T> Stream<T> announcing(Stream<T> events) {
        Spliterator<T> source = events.spliterator();
        return StreamSupport.stream(new Spliterator<T>() {
            @Override
            public boolean tryAdvance(Consumer<? super T> action) {
                boolean advanced = source.tryAdvance(action);
                if (advanced) {
                    arrived();
                }
                return advanced;
            }

            @Override
            public Spliterator<T> trySplit() {
                return null;
            }

            @Override
            public long estimateSize() {
                return source.estimateSize();
            }

            @Override
            public int characteristics() {
                return source.characteristics() & ~(SIZED | SUBSIZED);
            }
        }, false).onClose(events::close);
    }

    void arrived() {
        if (waiting.isEmpty()) {
            return;
        }
        for (ArrivalAwareStream stream : waiting) {
            if (waiting.remove(stream)) {
                stream.wake();
            }
        }
    }

    private final class ArrivalAwareStream implements TrackingEventStream {

        private final TrackingEventStream delegate;
        private volatile Runnable callback;

        ArrivalAwareStream(TrackingEventStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            this.callback = callback;
            return true;
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (callback != null) {
                waiting.add(this);
            }
            boolean available = delegate.hasNextAvailable(timeout, unit);
            if (available) {
                waiting.remove(this);
            }
            return available;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            callback = null;
            waiting.remove(this);
            delegate.close();
        }

        void wake() {
            Runnable wake = callback;
            if (wake != null) {
                wake.run();
            }
        }
    }
}
