package dev.svcaccounts.command.workspace;

import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * Axon's caching repository, plus one read: a cached aggregate first applies the events appended after its
 * version, by any node. So a command is decided on the current state, never on a cached one that another command
 * node has moved past (that would refuse, say, an assignment of an account just created there). The read finds
 * nothing in the usual case, one indexed query instead of the workspace's whole history.
 * <p>
 * A change committed between this read and the command's own append still collides on the event store's unique
 * (aggregate, sequence) key: the command rolls back, which drops the entry (Axon evicts on rollback), and
 * {@code CommandSender} runs it again on a fresh load.
 */
final class CatchingUpRepository<T> extends CachingEventSourcingRepository<T> {

    private final RecentWorkspaces cache;
    private final EventStore eventStore;

    CatchingUpRepository(Builder<T> builder, RecentWorkspaces cache, EventStore eventStore) {
        super(builder.cache(cache).eventStore(eventStore));
        this.cache = cache;
        this.eventStore = eventStore;
    }

    /** After Axon has cached the aggregate: how many events its state was built from (the cache's measure). */
    @Override
    protected void doSaveWithLock(EventSourcedAggregate<T> aggregate) {
        super.doSaveWithLock(aggregate);
        Long version = aggregate.version();
        cache.weigh(aggregate.identifierAsString(), version == null ? 0 : version + 1);
    }

    @Override
    protected EventSourcedAggregate<T> doLoadWithLock(String aggregateIdentifier, Long expectedVersion) {
        // the aggregate's lock is held: no command of this node changes the entry between here and the load
        boolean cached = cache.containsKey(aggregateIdentifier);
        EventSourcedAggregate<T> aggregate = super.doLoadWithLock(aggregateIdentifier, expectedVersion);
        if (cached) {
            DomainEventStream newer = eventStore.readEvents(aggregateIdentifier, aggregate.version() + 1);
            if (newer.hasNext()) {
                aggregate.initializeState(newer);
            }
        }
        return aggregate;
    }
}
