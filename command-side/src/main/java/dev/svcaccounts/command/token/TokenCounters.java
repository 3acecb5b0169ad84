package dev.svcaccounts.command.token;

import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code svcaccounts_tokens_issued_total} and {@code svcaccounts_tokens_revoked_total{cause}}: tokens issued and
 * revoked by this node's commands, counted once their command has committed (a refused or rolled-back command
 * counts nothing). A deactivation, a deletion or a member's removal revokes each token it ends, under that cause.
 * Counted as the events are published to the event store, so every command that issues or revokes a token is
 * counted, whichever handler it went through.
 */
@Component
class TokenCounters implements MessageDispatchInterceptor<EventMessage<?>> {

    private final Counter issued;
    private final Map<TokenRevocationCause, Counter> revoked = new EnumMap<>(TokenRevocationCause.class);

    TokenCounters(EventStore eventStore, MeterRegistry registry) {
        this.issued = Counter.builder("svcaccounts.tokens.issued")
                .description("Tokens issued (committed), to users and service accounts")
                .register(registry);
        for (TokenRevocationCause cause : TokenRevocationCause.values()) {
            revoked.put(cause, Counter.builder("svcaccounts.tokens.revoked")
                    .description("Tokens revoked (committed), by cause")
                    .tag("cause", cause.name().toLowerCase())
                    .register(registry));
        }
        eventStore.registerDispatchInterceptor(this);
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        return (index, message) -> {
            Object payload = message.getPayload();
            if (payload instanceof TokenIssuedEvent) {
                afterCommit(issued);
            } else if (payload instanceof TokenRevokedEvent revocation) {
                afterCommit(revoked.get(revocation.cause() == null ? TokenRevocationCause.REVOKED
                        : revocation.cause()));
            }
            return message;
        };
    }

    private static void afterCommit(Counter counter) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(u -> counter.increment());
        } else {
            counter.increment();
        }
    }
}
