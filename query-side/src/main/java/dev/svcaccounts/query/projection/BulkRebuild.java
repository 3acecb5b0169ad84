package dev.svcaccounts.query.projection;

import org.axonframework.eventhandling.EventMessage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A read model that a replay can rebuild in bulk ({@link BulkReplay}) instead of through its processor: the events
 * of one chunk are handed over in position order and written on the chunk's connection, in the transaction that
 * also moves the group's tokens to the chunk's end. It must write exactly what the group's event handlers write:
 * the same mapping code, another way of inserting.
 */
public interface BulkRebuild {

    /** The processing group whose read model this rebuilds; its handlers get the events this does not take. */
    String processingGroup();

    /**
     * Before a load, in the transaction that takes the group's tokens: removes whatever was written for positions
     * after {@code position}, where the load carries on, and may drop indexes that {@link #finish} creates again.
     */
    void begin(Connection connection, long position) throws SQLException;

    /** In the transaction of the last chunk, once every row is written: what {@link #begin} put off. */
    void finish(Connection connection) throws SQLException;

    /** Starts writing one chunk on the connection of the chunk's transaction. */
    Chunk chunk(Connection connection) throws SQLException;

    /** One chunk's writes. */
    interface Chunk extends AutoCloseable {

        /**
         * Writes the event's rows; false when this does not take the event (then the group's own handlers get it,
         * after {@link #close()}, in the same transaction).
         *
         * @param position the event's global index in the store
         */
        boolean add(long position, EventMessage<?> event) throws Exception;

        /** Ends the chunk's writes; nothing is committed yet. */
        @Override
        void close() throws SQLException;
    }
}
