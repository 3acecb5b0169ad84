package dev.svcaccounts.credentials;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.Supplier;

/**
 * Runs several reads of the access tables on one snapshot of the database (a read-only REPEATABLE READ
 * transaction), so an answer never mixes the state before a command with the state after it: introspection
 * does not give a just-demoted admin owner rights on a project created a moment later.
 * <p>
 * The isolation is set by the transaction's first statement, {@code SET TRANSACTION ISOLATION LEVEL REPEATABLE
 * READ}, which pgjdbc sends in the same round trip as its {@code BEGIN READ ONLY}; PostgreSQL takes the snapshot at the
 * first query after it. A transaction template with the isolation level would ask the connection for its isolation
 * ({@code SHOW TRANSACTION ISOLATION LEVEL}), set it for the session ({@code SET SESSION CHARACTERISTICS}) and set it
 * back after the commit: three round trips more per answer. Joining a transaction already under way, the reads run in
 * it, as a template would have them.
 */
@Component
public class ConsistentReads {

    private final TransactionTemplate readOnly;
    private final JdbcTemplate jdbc;

    public ConsistentReads(PlatformTransactionManager transactions, JdbcTemplate jdbc) {
        readOnly = new TransactionTemplate(transactions);
        readOnly.setReadOnly(true);
        this.jdbc = jdbc;
    }

    public <T> T of(Supplier<T> reads) {
        return readOnly.execute(status -> {
            if (status.isNewTransaction()) {
                jdbc.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
            return reads.get();
        });
    }
}
