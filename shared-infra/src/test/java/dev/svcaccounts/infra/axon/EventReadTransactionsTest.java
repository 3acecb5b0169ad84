package dev.svcaccounts.infra.axon;

import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class EventReadTransactionsTest {

    /** Records what it was asked to do; a transaction of its own is a BEGIN and a COMMIT on the database. */
    private static final class Recording implements TransactionManager {
        final List<String> calls = new ArrayList<>();

        @Override
        public Transaction startTransaction() {
            calls.add("start");
            return new Transaction() {
                @Override
                public void commit() {
                    calls.add("commit");
                }

                @Override
                public void rollback() {
                    calls.add("rollback");
                }
            };
        }

        @Override
        public <T> T fetchInTransaction(Supplier<T> supplier) {
            calls.add("fetch");
            return TransactionManager.super.fetchInTransaction(supplier);
        }
    }

    private final Recording delegate = new Recording();
    private final EventReadTransactions transactions = new EventReadTransactions(delegate);

    @AfterEach
    void noTransaction() {
        TransactionSynchronizationManager.setActualTransactionActive(false);
    }

    @Test
    void aReadOutsideATransaction_runsWithoutOne() {
        assertThat(transactions.fetchInTransaction(() -> 42)).isEqualTo(42);

        assertThat(delegate.calls).isEmpty();
    }

    @Test
    void aReadInsideATransaction_joinsIt() {
        TransactionSynchronizationManager.setActualTransactionActive(true);

        assertThat(transactions.fetchInTransaction(() -> 42)).isEqualTo(42);

        assertThat(delegate.calls).containsExactly("fetch", "start", "commit");
    }

    @Test
    void aWrite_alwaysGetsATransaction() {
        List<String> ran = new ArrayList<>();

        transactions.executeInTransaction(() -> ran.add("append"));

        assertThat(ran).containsExactly("append");
        assertThat(delegate.calls).containsExactly("start", "commit");
    }
}
