package dev.svcaccounts.command.workspace;

import dev.svcaccounts.refusals.DomainRuleException;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.ExecutionResult;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;

import java.util.ArrayList;
import java.util.List;

/**
 * Axon's caching repository, made safe for several command nodes. A cached workspace may be behind: another node may
 * have appended to its stream since this node last used it. No command is decided on such a copy, yet a command on a
 * workspace that only this node writes reads nothing from the store:
 * <ul>
 *   <li>A command that <b>appends</b> needs no look: its events take the sequence numbers after the copy's version,
 *       which the other node's events already hold, so the append collides on the event store's unique (aggregate,
 *       sequence) key; the command rolls back, Axon drops the copy on rollback, and {@code CommandSender} runs it
 *       again on a fresh load. The same holds for a change committed while the command runs.</li>
 *   <li>A command that appends <b>nothing</b> (a refusal, or one that changes nothing) is checked after its handler,
 *       before any answer leaves ({@link #requireCurrent}, called by {@link StaleDecisions}): if the store holds
 *       events after the version it was decided on, it fails as a lost race ({@code ConcurrencyException}) and is
 *       run again the same way. Otherwise the copy was the current state when the check read the store.</li>
 * </ul>
 * A workspace in which this node has seen another node's events lately ({@link SharedWorkspaces}) is instead caught
 * up before each command: the events after the copy's version are read (one indexed query) and applied. Two nodes
 * taking turns on one workspace would otherwise lose a race, and reload the workspace's whole history, on every turn.
 * <p>
 * Axon drops the cached copy whenever a command's unit of work rolls back, and a refusal rolls back: the next command
 * would replay the workspace's whole history, so a client sending refused commands would make the node replay it on
 * every request. The copy a command was decided on is kept (or, loaded from the store, cached) when the command was
 * refused ({@code DomainRuleException}, the refusal standing after {@link #requireCurrent}) and applied no event:
 * the rules decide before applying anything, so that copy is still the stream's state at its version. Any other
 * failure, a stale decision ({@code ConcurrencyException}) among them, or events applied before the throw, drops it.
 */
final class CatchingUpRepository<T> extends CachingEventSourcingRepository<T> {

    /** The cached copies a unit of work's command was decided on without a look at the store. */
    private static final String UNCHECKED = CatchingUpRepository.class.getName() + ".unchecked";

    private record Copy(String workspaceId, long version, EventSourcedAggregate<?> aggregate) {

        boolean appended() {
            Long now = aggregate.version();
            return now != null && now != version;
        }
    }

    private final RecentWorkspaces cache;
    private final SharedWorkspaces shared;
    private final EventStore eventStore;
    private final EventStorageEngine storage;

    CatchingUpRepository(Builder<T> builder, RecentWorkspaces cache, SharedWorkspaces shared, EventStore eventStore,
                         EventStorageEngine storage) {
        super(builder.cache(cache).eventStore(eventStore));
        this.cache = cache;
        this.shared = shared;
        this.eventStore = eventStore;
        this.storage = storage;
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
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        // Registered before Axon's handlers that drop the copy on rollback (in super.doLoadWithLock and
        // validateOnLoad): rollback handlers run last registered first, so this one runs after them. The lock on the
        // aggregate is held until the clean-up phase, after the rollback: no other command of this node is in between.
        DecidedOn decidedOn = new DecidedOn(aggregateIdentifier);
        unitOfWork.onRollback(decidedOn::keepIfRefused);
        EventSourcedAggregate<T> aggregate = super.doLoadWithLock(aggregateIdentifier, expectedVersion);
        unitOfWork.onRollback(u -> {
            if (lostRace(u.getExecutionResult())) {
                shared.seen(aggregateIdentifier);
            }
        });
        if (!cached) {
            decidedOn.copy(aggregate); // read from the store just now
            return aggregate;
        }
        if (shared.recently(aggregateIdentifier)) {
            DomainEventStream newer = eventStore.readEvents(aggregateIdentifier, aggregate.version() + 1);
            if (newer.hasNext()) {
                shared.seen(aggregateIdentifier);
                aggregate.initializeState(newer); // the stream's events: the copy stays the stream's state
            }
        } else {
            unitOfWork.<List<Copy>>getOrComputeResource(UNCHECKED, key -> new ArrayList<>(1))
                    .add(new Copy(aggregateIdentifier, aggregate.version(), aggregate));
        }
        decidedOn.copy(aggregate);
        return aggregate;
    }

    /** The copy a command is decided on, once loaded (and caught up), with its version then. */
    private final class DecidedOn {

        private final String workspaceId;
        private EventSourcedAggregate<T> aggregate;
        private Long version;

        DecidedOn(String workspaceId) {
            this.workspaceId = workspaceId;
        }

        void copy(EventSourcedAggregate<T> loaded) {
            this.aggregate = loaded;
            this.version = loaded.version();
        }

        /** On rollback, after Axon dropped the copy: puts it back if the command was refused and applied nothing. */
        void keepIfRefused(UnitOfWork<?> unitOfWork) {
            if (aggregate == null || version == null || !version.equals(aggregate.version()) || aggregate.isDeleted()
                    || !refused(unitOfWork.getExecutionResult())) {
                return;
            }
            cache.put(workspaceId, new AggregateCacheEntry<>(aggregate));
            cache.weigh(workspaceId, version + 1);
        }
    }

    /**
     * Once the command's handler has returned ({@code failed} null) or thrown ({@code failed}), before its unit of
     * work commits or rolls back: a command decided on a cached copy without a look at the store, that appended
     * nothing (a refusal, a failure, or no change), fails with {@code ConcurrencyException} if the store now holds
     * events after the copy's version, so that it is decided again on the current state. A command that appended is
     * left to the event store's key. If the look itself fails, that failure is thrown, never the decision.
     */
    void requireCurrent(UnitOfWork<?> unitOfWork, Exception failed) {
        List<Copy> copies = unitOfWork.getResource(UNCHECKED);
        if (copies == null) {
            return;
        }
        for (Copy copy : copies) {
            if (failed == null && copy.appended()) {
                continue;
            }
            boolean behind;
            try {
                behind = storedAfter(copy);
            } catch (RuntimeException lookFailed) {
                if (failed != null) {
                    lookFailed.addSuppressed(failed);
                }
                throw lookFailed;
            }
            if (behind) {
                shared.seen(copy.workspaceId());
                ConcurrencyException stale = new ConcurrencyException("Workspace '" + copy.workspaceId()
                        + "' changed on another node after version " + copy.version()
                        + ", on which this command was decided: it is decided again");
                if (failed != null) {
                    stale.addSuppressed(failed);
                }
                throw stale;
            }
        }
    }

    /**
     * Whether the store holds events after the copy's version. Asked of the storage engine: the event store's read
     * also returns the events staged in the current unit of work, so a command that applied events and then failed
     * would take its own for another node's.
     */
    private boolean storedAfter(Copy copy) {
        return storage.readEvents(copy.workspaceId(), copy.version() + 1).hasNext();
    }

    private static boolean refused(ExecutionResult result) {
        return result != null && result.isExceptionResult()
                && result.getExceptionResult() instanceof DomainRuleException;
    }

    private static boolean lostRace(ExecutionResult result) {
        return result != null && result.isExceptionResult()
                && result.getExceptionResult() instanceof ConcurrencyException;
    }
}
