package dev.svcaccounts.infra.web;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Predicate;

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
        return anyCause(failure, t -> t instanceof DataAccessResourceFailureException
                || t instanceof CannotCreateTransactionException
                || t instanceof SQLTransientConnectionException
                // SQLState class 08: connection exception; 57P0x: the server is shutting down or restarting
                || hasSqlState(t, "08") || hasSqlState(t, "57P0"));
    }

    /** Whether the failure or any of its causes is an SQLException whose SQLState starts with this prefix. */
    static boolean hasSqlStateCause(Throwable failure, String prefix) {
        return anyCause(failure, t -> hasSqlState(t, prefix));
    }

    private static boolean hasSqlState(Throwable t, String prefix) {
        return t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith(prefix);
    }

    private static boolean anyCause(Throwable failure, Predicate<Throwable> test) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }
}
