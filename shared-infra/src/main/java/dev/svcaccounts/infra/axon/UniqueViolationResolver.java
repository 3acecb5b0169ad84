package dev.svcaccounts.infra.axon;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;

import java.sql.SQLException;

/**
 * Tells Axon that an append failed on a unique key, so that it reports a lost race as a
 * {@code ConcurrencyException} (or {@code AggregateStreamCreationException} for a new aggregate) instead of a
 * storage failure. Axon's own JDBC resolver looks for {@code SQLIntegrityConstraintViolationException}, which the
 * PostgreSQL driver never throws: it reports SQLState 23505 on a {@code PSQLException}.
 */
class UniqueViolationResolver implements PersistenceExceptionResolver {

    private static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
