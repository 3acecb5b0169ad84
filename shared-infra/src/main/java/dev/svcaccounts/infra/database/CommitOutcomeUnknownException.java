package dev.svcaccounts.infra.database;

import org.springframework.transaction.TransactionSystemException;

/**
 * The connection broke while a transaction that wrote something was being committed: the COMMIT may have reached
 * the server or not, and its answer was lost. Only the database knows whether the write happened; the client is
 * told so (503 {@code commit-outcome-unknown}) instead of being promised either outcome.
 */
public class CommitOutcomeUnknownException extends TransactionSystemException {

    public CommitOutcomeUnknownException(Throwable cause) {
        super("The connection broke during COMMIT; whether the transaction was committed is unknown", cause);
    }
}
