package dev.svcaccounts.query.projection;

import dev.svcaccounts.infra.idempotency.IdempotencyKeys;
import dev.svcaccounts.infra.idempotency.KeyedRequest;
import dev.svcaccounts.infra.idempotency.StoredAnswer;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Carries out a write that is plain JDBC (not an Axon command) so that an {@code Idempotency-Key} makes it happen
 * at most once: in one transaction, the key's lock, a last look for an answer stored meanwhile, the write, and its
 * answer stored. Without a key, the write runs as it would anyway.
 */
@Component
public class IdempotentTransactions {

    private final IdempotencyKeys keys;
    private final TransactionTemplate transaction;

    IdempotentTransactions(IdempotencyKeys keys, PlatformTransactionManager transactions) {
        this.keys = keys;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** {@code write} answers the request; it must use the JDBC connection of the caller's transaction. */
    @SuppressWarnings("unchecked")
    public <T> ResponseEntity<T> run(Supplier<ResponseEntity<T>> write) {
        Optional<KeyedRequest> keyed = KeyedRequest.current();
        if (keyed.isEmpty()) {
            return write.get();
        }
        KeyedRequest request = keyed.get();
        Object outcome = transaction.execute(status -> {
            if (!keys.tryLock(request)) {
                throw request.inFlight();
            }
            Optional<StoredAnswer> earlier = keys.find(request);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            ResponseEntity<T> answer = write.get();
            keys.store(request, keys.answerOf(request, answer));
            return answer;
        });
        return outcome instanceof StoredAnswer stored
                ? (ResponseEntity<T>) (ResponseEntity<?>) stored.replayFor(request, keys.json())
                : (ResponseEntity<T>) outcome;
    }
}
