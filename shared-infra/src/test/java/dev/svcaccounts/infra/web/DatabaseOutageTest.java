package dev.svcaccounts.infra.web;

import dev.svcaccounts.infra.database.CommitOutcomeUnknownException;
import dev.svcaccounts.infra.web.DatabaseOutage.Kind;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

import java.net.SocketException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a database failure hides in the exceptions that reach the problem handler, as the driver (pgjdbc), the
 * pool (HikariCP), Axon and Spring wrap it; the shapes are those seen in the fault system tests' logs.
 */
class DatabaseOutageTest {

    @Test
    void theClosedConnectionOfThePool_withoutSqlState_isAnOutage() {
        SQLException closed = new SQLException("Connection is closed");
        RuntimeException wrapped = new UncategorizedSQLException("PreparedStatementCallback", "SELECT 1", closed);

        assertThat(DatabaseOutage.of(wrapped)).contains(Kind.UNAVAILABLE);
    }

    @Test
    void anotherSqlExceptionWithoutState_isNot() {
        RuntimeException wrapped = new UncategorizedSQLException("x", "SELECT 1", new SQLException("Bad value"));

        assertThat(DatabaseOutage.of(wrapped)).isEmpty();
    }

    @Test
    void aRollbackThatFailed_carriesTheCommitFailureAsItsApplicationException() {
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("no state here"));
        rollback.initApplicationException(new DataAccessResourceFailureException("JDBC commit",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01")));

        assertThat(DatabaseOutage.of(rollback)).contains(Kind.UNAVAILABLE);
    }

    @Test
    void aBrokenCommit_winsOverEverythingElse() {
        RuntimeException failure = new RuntimeException(new CommitOutcomeUnknownException(
                new SQLException("could not extend file", "53100")));

        assertThat(DatabaseOutage.of(failure)).contains(Kind.COMMIT_OUTCOME_UNKNOWN);
    }

    @Test
    void aBatchFailure_carriesTheConnectionErrorAsItsNextException() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT ... was aborted", "",
                new int[0]);
        batch.setNextException(new SQLException("An I/O error occurred while sending to the backend.", "08006",
                new SocketException("Connection reset")));

        assertThat(DatabaseOutage.of(new EventStoreException("An event ... was already inserted", batch)))
                .contains(Kind.UNAVAILABLE);
    }

    @Test
    void aFullDisk_behindAxonsMisleadingMessage_isStorageFull_andDescribedByTheServersError() {
        SQLException diskFull = new SQLException("ERROR: could not extend file \"base/1/2\": No space left on device",
                "53100");
        EventStoreException failure = new EventStoreException(
                "An event for aggregate [acme] at sequence [4] was already inserted", diskFull);

        assertThat(DatabaseOutage.of(failure)).contains(Kind.STORAGE_FULL);
        assertThat(DatabaseOutage.describe(failure)).isEqualTo("SQLSTATE 53100: " + diskFull.getMessage());
    }

    @Test
    void theRestOfClass53_isOverloaded_alsoWhenThePoolTimesOutOnIt() {
        SQLException tooMany = new SQLException("FATAL: sorry, too many clients already", "53300");
        SQLTransientConnectionException poolTimeout = new SQLTransientConnectionException(
                "HikariPool-1 - Connection is not available, request timed out after 5000ms", "53300", tooMany);

        assertThat(DatabaseOutage.of(new SQLException("out of memory", "53200"))).contains(Kind.OVERLOADED);
        assertThat(DatabaseOutage.of(new RuntimeException(poolTimeout))).contains(Kind.OVERLOADED);
    }

    @Test
    void spring_sResourceFailure_forAProgramLimit_isABug_notAnOutage() {
        // Spring translates SQLSTATE class 54 (say, a statement too complex) to a resource failure as well
        RuntimeException tooComplex = new DataAccessResourceFailureException("x",
                new SQLException("stack depth limit exceeded", "54001"));

        assertThat(DatabaseOutage.of(tooComplex)).isEmpty();
    }

    @Test
    void aSuppressedFailure_isFound() {
        RuntimeException failure = new IllegalStateException("cleanup failed");
        failure.addSuppressed(new SQLException("the database system is shutting down", "57P03"));

        assertThat(DatabaseOutage.of(failure)).contains(Kind.UNAVAILABLE);
    }
}
