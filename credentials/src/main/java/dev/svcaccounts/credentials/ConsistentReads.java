package dev.svcaccounts.credentials;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.Supplier;

/**
 * Runs several reads of the access tables on one snapshot of the database (a read-only REPEATABLE READ
 * transaction), so an answer never mixes the state before a command with the state after it: introspection
 * does not give a just-demoted admin owner rights on a project created a moment later.
 */
@Component
public class ConsistentReads {

    private final TransactionTemplate snapshot;

    public ConsistentReads(PlatformTransactionManager transactions) {
        snapshot = new TransactionTemplate(transactions);
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    public <T> T of(Supplier<T> reads) {
        return snapshot.execute(status -> reads.get());
    }
}
