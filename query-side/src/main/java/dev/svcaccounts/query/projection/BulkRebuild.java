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

    /** Removes whatever was written for positions after {@code position}: the rebuild carries on from there. */
    void discardAfter(Connection connection, long position) throws SQLException;

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
