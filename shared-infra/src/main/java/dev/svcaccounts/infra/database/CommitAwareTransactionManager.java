package dev.svcaccounts.infra.database;

import dev.svcaccounts.infra.web.DatabaseOutage;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

import javax.sql.DataSource;

/**
 * Spring's JDBC transaction manager (the one Spring Boot would make, used by Axon and every transaction of both
 * applications) that tells a broken COMMIT apart: when the connection fails while a read-write transaction
 * commits, it throws {@link CommitOutcomeUnknownException}. Being a transaction exception, Spring then neither
 * tries a rollback on the broken connection (whose failure would hide the commit's) nor reports the transaction
 * as rolled back; Axon drops the command's cached workspace on it, as on any failure.
 */
public class CommitAwareTransactionManager extends JdbcTransactionManager {

    public CommitAwareTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
        try {
            super.doCommit(status);
        } catch (RuntimeException e) {
            if (!status.isReadOnly() && DatabaseOutage.of(e).filter(kind -> kind == DatabaseOutage.Kind.UNAVAILABLE)
                    .isPresent()) {
                throw new CommitOutcomeUnknownException(e);
            }
            throw e;
        }
    }
}
