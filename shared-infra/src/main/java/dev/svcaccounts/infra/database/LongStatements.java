package dev.svcaccounts.infra.database;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Statements that may rightly run longer than the socket timeout every pooled connection has
 * ({@code socketTimeout} in {@code svcaccounts-defaults.yml}, which bounds how long a request waits for a frozen
 * database): a migration, a replay's reset of a large read model, a page of an export with sparse filters. They
 * run on a connection without that timeout; the pool puts it back on the connection when it is returned.
 */
@Component
public class LongStatements {

    /** pgjdbc ignores the executor of {@link Connection#setNetworkTimeout}; the JDBC API wants one. */
    private static final Executor UNUSED = Runnable::run;
    private static final int NO_TIMEOUT = 0;

    private final DataSource dataSource;

    public LongStatements(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code work} (JdbcTemplate calls on this data source) without the socket timeout: on the current
     * transaction's connection if there is one, else on one connection held for the whole of {@code work}.
     */
    public <T> T run(Supplier<T> work) {
        if (TransactionSynchronizationManager.hasResource(dataSource)) {
            Connection connection = DataSourceUtils.getConnection(dataSource); // the transaction's own
            int saved = networkTimeout(connection);
            setNetworkTimeout(connection, NO_TIMEOUT);
            try {
                return work.get();
            } finally {
                setNetworkTimeout(connection, saved);
                DataSourceUtils.releaseConnection(connection, dataSource);
            }
        }
        try (Connection connection = dataSource.getConnection()) {
            setNetworkTimeout(connection, NO_TIMEOUT);
            TransactionSynchronizationManager.bindResource(dataSource, new ConnectionHolder(connection));
            try {
                return work.get();
            } finally {
                TransactionSynchronizationManager.unbindResource(dataSource);
            }
        } catch (SQLException e) {
            throw new CannotGetJdbcConnectionException("Failed to obtain a connection for a long statement", e);
        }
    }

    /** The same data source, whose connections have no socket timeout: for Flyway's migrations. */
    public static DataSource withoutSocketTimeout(DataSource dataSource) {
        return new DelegatingDataSource(dataSource) {
            @Override
            public Connection getConnection() throws SQLException {
                Connection connection = super.getConnection();
                connection.setNetworkTimeout(UNUSED, NO_TIMEOUT);
                return connection;
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                Connection connection = super.getConnection(username, password);
                connection.setNetworkTimeout(UNUSED, NO_TIMEOUT);
                return connection;
            }
        };
    }

    private static int networkTimeout(Connection connection) {
        try {
            return connection.getNetworkTimeout();
        } catch (SQLException e) {
            throw new CannotGetJdbcConnectionException("Could not read the connection's socket timeout", e);
        }
    }

    private static void setNetworkTimeout(Connection connection, int milliseconds) {
        try {
            connection.setNetworkTimeout(UNUSED, milliseconds);
        } catch (SQLException e) {
            throw new CannotGetJdbcConnectionException("Could not change the connection's socket timeout", e);
        }
    }
}
