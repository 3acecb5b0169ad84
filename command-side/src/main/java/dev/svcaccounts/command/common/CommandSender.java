package dev.svcaccounts.command.common;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.infra.idempotency.IdempotencyKeys;
import dev.svcaccounts.infra.idempotency.KeyedRequest;
import dev.svcaccounts.infra.idempotency.StoredAnswer;
import dev.svcaccounts.infra.web.AuditContext;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Sends a command on behalf of the caller and waits until its events are committed. The audit metadata put
 * on the command (who, with which token, from where, why) is copied by Axon onto every event it produces.
 * <p>
 * A command that lost a race for its workspace to another command node (both appended at the same sequence
 * number; the database took one) is sent again: it is re-run against the winner's events, so the rules are
 * checked again and nothing of the failed attempt remains. Only after {@value #MAX_ATTEMPTS} lost races does
 * the caller get {@code 409 concurrent-modification}.
 * <p>
 * Writes answer through {@link #respond}, which honours an {@code Idempotency-Key}: the answer is made from the
 * command's result inside the command's transaction and stored with its events ({@link IdempotencyInterceptor}),
 * and a request whose key was used meanwhile gets that first answer instead.
 */
@Component
public class CommandSender {

    static final int MAX_ATTEMPTS = 10;

    private final CommandGateway gateway;
    private final IdempotencyKeys keys;

    public CommandSender(CommandGateway gateway, IdempotencyKeys keys) {
        this.gateway = gateway;
        this.keys = keys;
    }

    /**
     * Sends the command and answers the request with {@code render} of its result. {@code render} must be a pure
     * function of the result and of what the controller knew before sending (ids and tokens it generated): with an
     * {@code Idempotency-Key} it runs inside the command's transaction, and the answer it makes (without a token's
     * secret) is what every retry of the request gets.
     */
    @SuppressWarnings("unchecked")
    public <R, T> ResponseEntity<T> respond(Object command, AuthenticatedPrincipal principal, AuditContext context,
                                            Function<R, ResponseEntity<T>> render) {
        Optional<KeyedRequest> keyed = KeyedRequest.current();
        if (keyed.isEmpty()) {
            return render.apply(send(command, principal, context));
        }
        KeyedRequest request = keyed.get();
        Function<Object, ResponseEntity<?>> renderAny = result -> render.apply((R) result);
        MetaData metaData = MetaData.from(context.metadata(principal))
                .and(IdempotentCommand.META_DATA_KEY, new IdempotentCommand(request, renderAny));
        Object outcome = sendWithRetries(command, metaData);
        if (outcome instanceof StoredAnswer stored) {
            return (ResponseEntity<T>) (ResponseEntity<?>) stored.replayFor(request, keys.json());
        }
        return (ResponseEntity<T>) ((IdempotentCommand.Executed) outcome).answer();
    }

    /**
     * Sends a command that no principal sends (a leaked-token report, which needs no authentication), with
     * {@code metaData} saying who sent it as far as it is known, and returns its result. No {@code Idempotency-Key}:
     * that is per principal.
     */
    public <R> R sendWithoutPrincipal(Object command, Map<String, ?> metaData) {
        return sendWithRetries(command, MetaData.from(metaData));
    }

    /**
     * Not public: a write sent past {@link #respond} would run again on every retry of its key. (Private on purpose,
     * so that a controller still calling it does not compile.)
     */
    private <R> R send(Object command, AuthenticatedPrincipal principal, AuditContext context) {
        return sendWithRetries(command, MetaData.from(context.metadata(principal)));
    }

    private <R> R sendWithRetries(Object command, MetaData metaData) {
        for (int attempt = 1; ; attempt++) {
            try {
                return gateway.sendAndWait(command, metaData);
            } catch (ConcurrencyException lostRace) {
                if (attempt == MAX_ATTEMPTS || !pause(attempt)) {
                    throw lostRace;
                }
            }
        }
    }

    /** A short, random pause, so two nodes that collided do not collide again in lockstep. */
    private static boolean pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
