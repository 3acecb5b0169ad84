package dev.svcaccounts.infra.axon;

import dev.svcaccounts.infra.web.DatabaseOutage;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.util.Optional;

/**
 * Axon's embedded event store, except that a snapshot read that failed because the database did is not taken for
 * a missing snapshot. Axon logs such a failure and goes on to read the aggregate's whole history on the same
 * connection, which the pool has closed by then, so the request failed with a "Connection is closed" that says
 * nothing about the outage. Rethrowing the real failure lets it be answered as what it is (503). Any other
 * snapshot problem (an unreadable snapshot) still falls back to the events, as Axon intends.
 */
class OutageAwareEventStore extends EmbeddedEventStore {

    OutageAwareEventStore(Builder builder) {
        super(builder);
    }

    @Override
    protected Optional<DomainEventMessage<?>> handleSnapshotReadingError(String aggregateIdentifier,
                                                                        Throwable failure) {
        if (DatabaseOutage.causedBy(failure)) {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Could not read the snapshot of " + aggregateIdentifier, failure);
        }
        return super.handleSnapshotReadingError(aggregateIdentifier, failure);
    }
}
