package dev.svcaccounts.query.verification;

import org.postgresql.PGStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One query read row by row through a server-side cursor ({@code fetchSize} rows per round trip, the connection in a
 * transaction), so that a table of millions of rows streams in flat memory: no LIMIT/OFFSET, no list of rows. Rows
 * come in PostgreSQL's binary format: a bytea arrives as its bytes, not as hex text twice its size to decode.
 */
final class Cursor<T> implements AutoCloseable {

    @FunctionalInterface
    interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final PreparedStatement statement;
    private final ResultSet rows;
    private final Mapper<T> mapper;

    Cursor(Connection connection, String sql, int fetchSize, Mapper<T> mapper, Object... parameters)
            throws SQLException {
        this.statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        this.mapper = mapper;
        try {
            statement.setFetchSize(fetchSize);
            if (statement.isWrapperFor(PGStatement.class)) {
                statement.unwrap(PGStatement.class).setPrepareThreshold(-1); // -1: binary from the first execution
            }
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            this.rows = statement.executeQuery();
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    /** The next row, or null after the last. */
    T next() throws SQLException {
        return rows.next() ? mapper.map(rows) : null;
    }

    @Override
    public void close() throws SQLException {
        try {
            rows.close();
        } finally {
            statement.close();
        }
    }
}
