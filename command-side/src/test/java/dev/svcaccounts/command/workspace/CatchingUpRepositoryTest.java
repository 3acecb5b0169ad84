package dev.svcaccounts.command.workspace;

import dev.svcaccounts.refusals.DomainRuleException;
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
 * PostgreSQL's: WorkspaceCacheIT.) A refusal that applied nothing keeps the copy it was decided on in the cache.
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

    /** Adds a name, refused as a rule ({@code DomainRuleException}) if it is held. */
    record Claim(@TargetAggregateIdentifier String id, String name) {
    }

    /** Applies the name's addition, then is refused: a handler that changed its copy before throwing. */
    record ClaimThenRefuse(@TargetAggregateIdentifier String id, String name) {
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
        void handle(Claim command) {
            if (names.contains(command.name())) {
                throw DomainRuleException.conflict("name-taken", "taken: " + command.name());
            }
            AggregateLifecycle.apply(new Added(command.id(), command.name()));
        }

        @CommandHandler
        void handle(ClaimThenRefuse command) {
            AggregateLifecycle.apply(new Added(command.id(), command.name()));
            throw DomainRuleException.conflict("refused-late", "refused after applying " + command.name());
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

    /** The store, counting the reads of one aggregate's events, and those of its whole history (loads). */
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger loads = new AtomicInteger();
    private final InMemoryEventStorageEngine storage = new InMemoryEventStorageEngine() {
        @Override
        public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
            reads.incrementAndGet();
            if (firstSequenceNumber == 0) {
                loads.incrementAndGet();
            }
            return super.readEvents(aggregateIdentifier, firstSequenceNumber);
        }
    };
    private final EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(storage).build();
    private final CommandGateway first = node();
    private final CommandGateway second = node();

    @AfterEach
    void stop() {
        store.shutDown();
    }

    private CommandGateway node() {
        CatchingUpRepository<Names> repository = new CatchingUpRepository<>(
                EventSourcingRepository.builder(Names.class), new RecentWorkspaces(10, 1000),
                new SharedWorkspaces(Clock.systemUTC(), Duration.ofMinutes(1), 10), store, storage);
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

    @Test
    void refusals_keepTheCachedCopy_eachCheckedWithoutReloadingTheHistory() {
        first.sendAndWait(new Open("ws"));
        first.sendAndWait(new Add("ws", "a"));
        reads.set(0);
        loads.set(0);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> first.sendAndWait(new Claim("ws", "a"))).isInstanceOf(DomainRuleException.class);
        }
        first.sendAndWait(new Claim("ws", "b"));
        assertThat((Boolean) first.sendAndWait(new Has("ws", "b"))).isTrue();
        assertThat(loads.get()).as("loads of the whole history").isZero();
        assertThat(reads.get()).as("one check per refusal, one for the answer without change").isEqualTo(6);
    }

    @Test
    void aRefusal_onACopyLoadedFromTheStore_cachesIt() {
        first.sendAndWait(new Open("ws"));
        first.sendAndWait(new Add("ws", "a"));
        loads.set(0);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> second.sendAndWait(new Claim("ws", "a"))).isInstanceOf(DomainRuleException.class);
        }
        assertThat(loads.get()).as("the second node loads the workspace once").isEqualTo(1);
    }

    @Test
    void aHandlerThatAppliedThenThrew_dropsTheCopy_andTheNextCommandSeesTheStoredState() {
        first.sendAndWait(new Open("ws"));
        loads.set(0);
        assertThatThrownBy(() -> first.sendAndWait(new ClaimThenRefuse("ws", "a")))
                .isInstanceOf(DomainRuleException.class);
        assertThat((Boolean) first.sendAndWait(new Has("ws", "a"))).as("the name applied, then rolled back").isFalse();
        assertThat(loads.get()).as("loaded again from the store").isEqualTo(1);
    }

    @Test
    void anyOtherFailure_dropsTheCopy() {
        first.sendAndWait(new Open("ws"));
        first.sendAndWait(new Add("ws", "a"));
        loads.set(0);
        assertThatThrownBy(() -> first.sendAndWait(new Add("ws", "a"))).isInstanceOf(IllegalStateException.class);
        first.sendAndWait(new Add("ws", "b"));
        assertThat(loads.get()).isEqualTo(1);
    }

    @Test
    void aRefusalDecidedOnAStaleCopy_isDecidedAgain_onACopyLoadedFromTheStore() {
        first.sendAndWait(new Open("ws"));
        first.sendAndWait(new Add("ws", "a"));
        second.sendAndWait(new Remove("ws", "a"));
        loads.set(0);

        assertThatThrownBy(() -> first.sendAndWait(new Claim("ws", "a"))).isInstanceOf(ConcurrencyException.class)
                .hasSuppressedException(DomainRuleException.conflict("name-taken", "taken: a"));
        first.sendAndWait(new Claim("ws", "a"));
        assertThat(loads.get()).as("the stale copy was dropped").isEqualTo(1);
    }

    @Test
    void aRefusalAfterACatchUp_keepsTheCaughtUpCopy() {
        first.sendAndWait(new Open("ws"));
        second.sendAndWait(new Add("ws", "a"));
        assertThatThrownBy(() -> first.sendAndWait(new Has("ws", "a"))).isInstanceOf(ConcurrencyException.class);
        first.sendAndWait(new Has("ws", "a")); // loaded again; the workspace is now shared for the first node

        second.sendAndWait(new Add("ws", "b"));
        loads.set(0);
        reads.set(0);
        assertThatThrownBy(() -> first.sendAndWait(new Claim("ws", "b"))).isInstanceOf(DomainRuleException.class);
        second.sendAndWait(new Remove("ws", "b"));
        first.sendAndWait(new Claim("ws", "b")); // caught up with the removal, from the kept copy's version
        assertThat((Boolean) first.sendAndWait(new Has("ws", "b"))).isTrue();
        assertThatThrownBy(() -> first.sendAndWait(new Claim("ws", "a"))).isInstanceOf(DomainRuleException.class);
        assertThat(loads.get()).isZero();
    }

    @Test
    void aHandlerThatAppliedThenThrew_onACopyBehindTheOtherNode_isALostRace() {
        first.sendAndWait(new Open("ws"));
        second.sendAndWait(new Add("ws", "a"));
        assertThatThrownBy(() -> first.sendAndWait(new ClaimThenRefuse("ws", "b")))
                .isInstanceOf(ConcurrencyException.class);
        assertThatThrownBy(() -> first.sendAndWait(new ClaimThenRefuse("ws", "b")))
                .as("decided again on the current state").isInstanceOf(DomainRuleException.class);
    }
}
