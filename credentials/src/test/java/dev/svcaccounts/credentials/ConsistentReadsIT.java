package dev.svcaccounts.credentials;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ConsistentReads} on a real PostgreSQL: all reads of one call see one snapshot (a row committed by another
 * connection between two of them is seen by neither), they cannot write, a call joining a transaction under way runs
 * in it, and the connection is handed back as it came (read committed, read-write) without its isolation having been
 * asked for or set for the session (the round trips a transaction template with an isolation level costs).
 */
class ConsistentReadsIT {

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate other;

    /** What the calls did to the connection: the JDBC methods called on it. */
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private SingleConnectionDataSource connection;
    private JdbcTemplate jdbc;
    private DataSourceTransactionManager transactions;
    private ConsistentReads reads;

    @BeforeAll
    static void database() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        other = new JdbcTemplate(postgres.getPostgresDatabase());
        other.execute("CREATE TABLE grants (id int PRIMARY KEY)");
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void oneConnection() throws SQLException {
        other.update("DELETE FROM grants");
        other.update("INSERT INTO grants VALUES (1)");
        connection = new SingleConnectionDataSource(postgres.getPostgresDatabase().getConnection(), true);
        DataSource recorded = new DelegatingDataSource(connection) {
            @Override
            public Connection getConnection() throws SQLException {
                return recording(super.getConnection());
            }
        };
        jdbc = new JdbcTemplate(recorded);
        transactions = new DataSourceTransactionManager(recorded);
        reads = new ConsistentReads(transactions, jdbc);
    }

    @Test
    void everyReadOfOneCall_seesTheSnapshotOfItsFirst() {
        List<Integer> seen = reads.of(() -> {
            int first = count();
            other.update("INSERT INTO grants VALUES (2)"); // committed by another connection, between the two reads
            return List.of(first, count());
        });

        assertThat(seen).containsExactly(1, 1);
        assertThat(reads.of(this::count)).as("the next call's snapshot").isEqualTo(2);
    }

    @Test
    void theReads_cannotWrite() {
        assertThatThrownBy(() -> reads.of(() -> jdbc.update("INSERT INTO grants VALUES (3)")))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("read-only transaction");
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void theConnection_isHandedBackAsItCame_withoutItsIsolationAskedForOrSetForTheSession() throws SQLException {
        reads.of(this::count);

        assertThat(calls).noneMatch(call -> call.equals("getTransactionIsolation")
                || call.equals("setTransactionIsolation"));
        Connection raw = connection.getConnection();
        assertThat(raw.getAutoCommit()).isTrue();
        assertThat(raw.isReadOnly()).isFalse();
        assertThat(jdbc.queryForObject("SHOW transaction_isolation", String.class)).isEqualTo("read committed");
        assertThat(jdbc.queryForObject("SHOW default_transaction_isolation", String.class))
                .isEqualTo("read committed");
        assertThat(jdbc.queryForObject("SHOW transaction_read_only", String.class)).isEqualTo("off");
        String next = new TransactionTemplate(transactions).execute(status ->
                jdbc.queryForObject("SHOW transaction_isolation", String.class));
        assertThat(next).as("the next transaction on the connection").isEqualTo("read committed");
    }

    @Test
    void aCallInsideATransactionUnderWay_runsInIt() {
        String isolation = new TransactionTemplate(transactions).execute(status -> {
            count(); // the transaction has run a query: its isolation can no longer be set
            return reads.of(() -> jdbc.queryForObject("SHOW transaction_isolation", String.class));
        });

        assertThat(isolation).isEqualTo("read committed");
    }

    private int count() {
        return jdbc.queryForObject("SELECT count(*) FROM grants", Integer.class);
    }

    private Connection recording(Connection target) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, arguments) -> {
                    calls.add(method.getName());
                    try {
                        return method.invoke(target, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
