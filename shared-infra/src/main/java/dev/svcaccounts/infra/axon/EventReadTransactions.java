package dev.svcaccounts.infra.axon;

import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.function.Supplier;

/**
 * The event store's transactions. A write (an append, a snapshot) gets one as before. A read joins the caller's
 * transaction when there is one (a command reading its workspace's events reads them in the transaction that appends
 * the next ones); without one it runs on its own, in autocommit: each of Axon's reads is one statement (or a statement
 * and a look-up that does not depend on the first's snapshot), so a transaction around it only adds a {@code BEGIN} and
 * a {@code COMMIT}. The query side's processors poll the store tens of times a second, each poll in a transaction of
 * its own: two statements and a round trip fewer per poll.
 */
final class EventReadTransactions implements TransactionManager {

    private final TransactionManager delegate;

    EventReadTransactions(TransactionManager delegate) {
        this.delegate = delegate;
    }

    @Override
    public Transaction startTransaction() {
        return delegate.startTransaction();
    }

    @Override
    public void executeInTransaction(Runnable task) {
        delegate.executeInTransaction(task);
    }

    @Override
    public <T> T fetchInTransaction(Supplier<T> supplier) {
        return TransactionSynchronizationManager.isActualTransactionActive()
                ? delegate.fetchInTransaction(supplier) : supplier.get();
    }
}
