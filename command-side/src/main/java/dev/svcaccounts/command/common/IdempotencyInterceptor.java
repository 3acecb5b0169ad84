package dev.svcaccounts.command.common;

import dev.svcaccounts.infra.idempotency.IdempotencyKeys;
import dev.svcaccounts.infra.idempotency.KeyedRequest;
import dev.svcaccounts.infra.idempotency.StoredAnswer;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Makes a command sent with an {@code Idempotency-Key} happen at most once, on any node. It runs inside the command's
 * unit of work, whose transaction Axon has already begun, before the aggregate is loaded:
 * <ol>
 *   <li>the key's advisory lock: held by another transaction, the first request with this key is still running
 *       (here or on another node), and this one is refused with 409 before it does anything;</li>
 *   <li>under the lock, a last look for the key: stored meanwhile, its answer is returned and nothing is done;</li>
 *   <li>otherwise the command runs, and its answer is stored in the same transaction as its events, before they
 *       are appended: the key exists exactly when the events do. A refusal or a crash rolls both back, and the
 *       lock goes with the transaction or the connection, so a crashed node leaves nothing behind.</li>
 * </ol>
 * A command without a key costs nothing here: no statement, no lock.
 */
@Component
class IdempotencyInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final IdempotencyKeys keys;

    IdempotencyInterceptor(IdempotencyKeys keys) {
        this.keys = keys;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object idempotent = unitOfWork.getMessage().getMetaData().get(IdempotentCommand.META_DATA_KEY);
        if (!(idempotent instanceof IdempotentCommand keyed)) {
            return chain.proceed();
        }
        KeyedRequest request = keyed.request();
        if (!keys.tryLock(request)) {
            throw request.inFlight();
        }
        Optional<StoredAnswer> earlier = keys.find(request);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        ResponseEntity<?> answer = keyed.render().apply(chain.proceed());
        keys.store(request, keys.answerOf(request, answer));
        return new IdempotentCommand.Executed(answer);
    }
}
