package dev.svcaccounts.command.workspace;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.modelling.command.AggregateAnnotationCommandHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two nodes, each with its own cache, over one event store: a node decides on its cached copy without reading the
 * store, and a refusal or a command that changes nothing, decided on a copy the other node has moved past, fails as
 * a lost race instead of answering. (The event store's unique key, which refuses an append on such a copy, is
 * PostgreSQL's: WorkspaceCacheIT.)
 */
class CatchingUpRepositoryTest {

    record Open(@TargetAggregateIdentifier String id) {
    }

    record Add(@TargetAggregateIdentifier String id, String name) {
    }

    record Remove(@TargetAggregateIdentifier String id, String name) {
    }

    record Has(@TargetAggregateIdentifier String id, String name) {
    }

    record Added(String id, String name) {
    }

    record Removed(String name) {
    }

    /** A set of unique names: adding a name held is refused; asking changes nothing. */
    static class Names {

        @AggregateIdentifier
        private String id;
        private final Set<String> names = new HashSet<>();

        Names() {
        }

        @CommandHandler
        Names(Open command) {
            AggregateLifecycle.apply(new Added(command.id(), "first"));
        }

        @CommandHandler
        void handle(Add command) {
            if (names.contains(command.name())) {
                throw new IllegalStateException("taken: " + command.name());
            }
            AggregateLifecycle.apply(new Added(command.id(), command.name()));
        }

        @CommandHandler
        void handle(Remove command) {
            AggregateLifecycle.apply(new Removed(command.name()));
        }

        @CommandHandler
        boolean handle(Has command) {
            return names.contains(command.name());
        }

        @EventSourcingHandler
        void on(Added event) {
            id = event.id();
            names.add(event.name());
        }

        @EventSourcingHandler
        void on(Removed event) {
            names.remove(event.name());
        }
    }

    /** The store, counting the reads of one aggregate's events. */
    private final AtomicInteger reads = new AtomicInteger();
    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine() {
                @Override
                public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
                    reads.incrementAndGet();
                    return super.readEvents(aggregateIdentifier, firstSequenceNumber);
                }
            }).build();
    private final CommandGateway first = node();
    private final CommandGateway second = node();

    @AfterEach
    void stop() {
        store.shutDown();
    }

    private CommandGateway node() {
        CatchingUpRepository<Names> repository = new CatchingUpRepository<>(
                EventSourcingRepository.builder(Names.class), new RecentWorkspaces(10, 1000),
                new SharedWorkspaces(Clock.systemUTC(), Duration.ofMinutes(1), 10), store);
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        AggregateAnnotationCommandHandler.<Names>builder().aggregateType(Names.class).repository(repository).build()
                .subscribe(bus);
        bus.registerHandlerInterceptor(new StaleDecisions(repository));
        return DefaultCommandGateway.builder().commandBus(bus).build();
    }

    @Test
    void aNodeAlone_decidesOnItsCachedCopy_withoutReadingTheStore_butChecksARefusal() {
        first.sendAndWait(new Open("ws"));
        reads.set(0);
        first.sendAndWait(new Add("ws", "a"));
        first.sendAndWait(new Remove("ws", "a"));
        first.sendAndWait(new Add("ws", "b"));
        assertThat(reads.get()).isZero();

        assertThatThrownBy(() -> first.sendAndWait(new Add("ws", "b"))).hasMessageContaining("taken");
        assertThat(reads.get()).as("the refusal's check").isEqualTo(1);
    }

    @Test
    void aRefusalOnACopyBehindTheOtherNode_isALostRace_andTheNextAttemptDecidesOnTheCurrentState() {
        first.sendAndWait(new Open("ws"));
        first.sendAndWait(new Add("ws", "a"));
        second.sendAndWait(new Remove("ws", "a"));

        assertThatThrownBy(() -> first.sendAndWait(new Add("ws", "a"))).isInstanceOf(ConcurrencyException.class)
                .hasSuppressedException(new IllegalStateException("taken: a"));
        first.sendAndWait(new Add("ws", "a")); // the copy was dropped: loaded again from the store
    }

    @Test
    void anAnswerWithoutChange_onACopyBehindTheOtherNode_isALostRace() {
        first.sendAndWait(new Open("ws"));
        first.sendAndWait(new Add("ws", "a"));
        second.sendAndWait(new Remove("ws", "a"));

        assertThatThrownBy(() -> first.sendAndWait(new Has("ws", "a"))).isInstanceOf(ConcurrencyException.class);
        assertThat((Boolean) first.sendAndWait(new Has("ws", "a"))).isFalse();
    }

    @Test
    void onceTheOtherNodesEventsWereSeen_theNodeCatchesUpBeforeEachCommand() {
        first.sendAndWait(new Open("ws"));
        first.sendAndWait(new Add("ws", "a"));
        second.sendAndWait(new Remove("ws", "a"));
        assertThatThrownBy(() -> first.sendAndWait(new Has("ws", "a"))).isInstanceOf(ConcurrencyException.class);
        first.sendAndWait(new Has("ws", "b")); // loaded again, cached again; nothing appended: second's copy is current

        second.sendAndWait(new Add("ws", "a"));
        reads.set(0);
        assertThat((Boolean) first.sendAndWait(new Has("ws", "a"))).as("caught up before deciding").isTrue();
        assertThatThrownBy(() -> first.sendAndWait(new Add("ws", "a"))).hasMessageContaining("taken");
        assertThat(reads.get()).as("one catch-up read before each command, no check after").isEqualTo(2);
    }
}
