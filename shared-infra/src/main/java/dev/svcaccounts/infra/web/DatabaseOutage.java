package dev.svcaccounts.infra.web;

import dev.svcaccounts.infra.database.CommitOutcomeUnknownException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises a failure of the database itself, as opposed to a bug: PostgreSQL cannot be reached, the connection
 * broke or was closed under the request, the server is out of storage or of connections. Clients are told to
 * retry (503 with {@code Retry-After}) and what they may assume about their write.
 *
 * <p>A failure is looked for everywhere it can hide: the cause chain, suppressed exceptions, the chain of
 * {@link SQLException#getNextException()} (a batch), and the "application exception" that a failed rollback
 * keeps from the commit that failed before it ({@link TransactionSystemException}).
 */
public final class DatabaseOutage {

    /** What went wrong, from the client's point of view: each kind is one problem code. */
    public enum Kind {
        /** The connection could not be had, or broke before the write was committed: nothing was changed. */
        UNAVAILABLE("database-unavailable", 5, "The database cannot be reached right now; try again in a few "
                + "seconds. Nothing was changed by this request."),
        /**
         * The connection broke while the transaction was being committed: the write may or may not have happened,
         * and only the database knows.
         */
        COMMIT_OUTCOME_UNKNOWN("commit-outcome-unknown", 5, "The connection to the database broke while this "
                + "change was being committed, so it may or may not have been applied. Check (read what it should "
                + "have changed) before repeating it, or repeat it with the same Idempotency-Key."),
        /** SQLSTATE 53100: the database's disk is full. Writes fail until an operator frees space; reads work. */
        STORAGE_FULL("storage-full", 60, "The database is out of storage space, so no change can be saved until an "
                + "operator frees some. Nothing was changed by this request; reads still work."),
        /** SQLSTATE class 53 otherwise: out of memory, too many connections, a configured limit reached. */
        OVERLOADED("database-overloaded", 5, "The database is out of resources right now (memory or connections); "
                + "try again in a few seconds. Nothing was changed by this request.");

        private final String code;
        private final int retryAfterSeconds;
        private final String detail;

        Kind(String code, int retryAfterSeconds, String detail) {
            this.code = code;
            this.retryAfterSeconds = retryAfterSeconds;
            this.detail = detail;
        }

        public String code() {
            return code;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }

        public String detail() {
            return detail;
        }

        /** The 503 problem document for this kind. */
        public ProblemDetail problem() {
            return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, code, "Service Unavailable", detail);
        }

        /** The headers that go with it. */
        public HttpHeaders headers() {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
            return headers;
        }
    }

    /** Kept for callers that only tell an outage from a bug. */
    public static final int RETRY_AFTER_SECONDS = Kind.UNAVAILABLE.retryAfterSeconds();
    public static final String CODE = Kind.UNAVAILABLE.code();
    public static final String DETAIL = Kind.UNAVAILABLE.detail();

    /** HikariCP's message for any use of a connection it has closed (it carries no SQLSTATE). */
    private static final String POOL_CLOSED_CONNECTION = "Connection is closed";

    private DatabaseOutage() {
    }

    /** Whether the failure is a database outage of any kind. */
    public static boolean causedBy(Throwable failure) {
        return of(failure).isPresent();
    }

    /**
     * The kind of outage behind the failure, if it is one. A commit whose outcome is unknown wins over everything
     * (the client must know it), then the resource classes the server names by SQLSTATE, then any sign of a
     * connection that could not be had or broke.
     */
    public static Optional<Kind> of(Throwable failure) {
        if (failure == null) {
            return Optional.empty();
        }
        Set<Throwable> all = everyCause(failure);
        if (all.stream().anyMatch(t -> t instanceof CommitOutcomeUnknownException)) {
            return Optional.of(Kind.COMMIT_OUTCOME_UNKNOWN);
        }
        if (all.stream().anyMatch(t -> hasSqlState(t, "53100"))) {
            return Optional.of(Kind.STORAGE_FULL);
        }
        if (all.stream().anyMatch(t -> hasSqlState(t, "53"))) {
            return Optional.of(Kind.OVERLOADED);
        }
        if (all.stream().anyMatch(DatabaseOutage::isConnectionFailure)) {
            return Optional.of(Kind.UNAVAILABLE);
        }
        return Optional.empty();
    }

    /**
     * The innermost database error behind the failure, as an operator wants it in the log:
     * {@code SQLSTATE 53100: could not extend file ...}, or the message of a broken connection.
     */
    public static String describe(Throwable failure) {
        Set<Throwable> all = everyCause(failure);
        for (Throwable t : all) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return "SQLSTATE " + sql.getSQLState() + ": " + sql.getMessage();
            }
        }
        Throwable innermost = failure;
        for (Throwable t : all) {
            if (t instanceof SQLException || t instanceof java.io.IOException) {
                innermost = t;
            }
        }
        return innermost.getClass().getSimpleName() + ": " + innermost.getMessage();
    }

    /** Whether the failure or any of its causes is an SQLException whose SQLState starts with this prefix. */
    static boolean hasSqlStateCause(Throwable failure, String prefix) {
        return everyCause(failure).stream().anyMatch(t -> hasSqlState(t, prefix));
    }

    /**
     * The connection could not be had, or broke, or was closed under the request: Spring's and the JDBC API's
     * connection failures, SQLSTATE class 08 (connection exception) and 57P0x (the server shutting down,
     * restarting or terminating the backend), a socket error or timeout, and the pool's "closed connection"
     * (what a statement meets on a connection that broke earlier in the same transaction).
     */
    private static boolean isConnectionFailure(Throwable t) {
        return t instanceof DataAccessResourceFailureException && !(t.getCause() instanceof SQLException sql
                        && sql.getSQLState() != null && !isConnectionState(sql.getSQLState()))
                || t instanceof CannotCreateTransactionException
                || t instanceof QueryTimeoutException
                || t instanceof SQLTransientConnectionException
                || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLRecoverableException
                || t instanceof SQLTimeoutException
                || t instanceof SocketException || t instanceof SocketTimeoutException || t instanceof EOFException
                || t instanceof SQLException sql && (sql.getSQLState() != null && isConnectionState(sql.getSQLState())
                        || sql.getSQLState() == null && POOL_CLOSED_CONNECTION.equals(sql.getMessage()));
    }

    private static boolean isConnectionState(String sqlState) {
        // 08: connection exception; 57P01-57P05: admin shutdown, crash shutdown, cannot connect now, database
        // dropped, idle session timeout; 57014: statement cancelled (by a timeout); 58: system error, an I/O error
        // of the server's storage
        return sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.equals("57014")
                || sqlState.startsWith("58");
    }

    private static boolean hasSqlState(Throwable t, String prefix) {
        return t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith(prefix);
    }

    /** The failure and everything it carries, outermost first, each once (a Throwable's equality is identity). */
    private static Set<Throwable> everyCause(Throwable failure) {
        Set<Throwable> seen = new LinkedHashSet<>();
        Deque<Throwable> pending = new ArrayDeque<>();
        pending.add(failure);
        while (!pending.isEmpty() && seen.size() < 100) {
            Throwable t = pending.poll();
            if (!seen.add(t)) {
                continue;
            }
            addIfPresent(pending, t.getCause());
            for (Throwable suppressed : t.getSuppressed()) {
                addIfPresent(pending, suppressed);
            }
            if (t instanceof SQLException sql) {
                addIfPresent(pending, sql.getNextException());
            }
            if (t instanceof TransactionSystemException tx) {
                addIfPresent(pending, tx.getApplicationException());
            }
        }
        return seen;
    }

    private static void addIfPresent(Deque<Throwable> pending, Throwable t) {
        if (t != null) {
            pending.add(t);
        }
    }
}
