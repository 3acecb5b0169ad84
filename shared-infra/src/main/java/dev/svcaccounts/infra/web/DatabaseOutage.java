package dev.svcaccounts.infra.web;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Recognises a failure that means "PostgreSQL cannot be reached right now" (down, restarting, failing over),
 * which clients should retry, as opposed to a bug. Both sides answer it with 503 and {@code Retry-After}.
 */
public final class DatabaseOutage {

    public static final int RETRY_AFTER_SECONDS = 5;
    public static final String CODE = "database-unavailable";
    public static final String DETAIL = "The database cannot be reached right now; try again in a few seconds. "
            + "A write that failed this way was rolled back, unless the connection broke during its commit: "
            + "check before repeating it.";

    private DatabaseOutage() {
    }

    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException) {
                return true;
            }
            // SQLState class 08: connection exception; 57P0x: the server is shutting down or restarting
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }
}
