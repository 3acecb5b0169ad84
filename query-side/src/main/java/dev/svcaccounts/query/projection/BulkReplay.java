package dev.svcaccounts.query.projection;

import dev.svcaccounts.infra.database.LongStatements;
import dev.svcaccounts.query.integrity.SettledStore;
import dev.svcaccounts.query.processor.TrackingPositions;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.postgresql.PGStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Rebuilds a read model in bulk after a replay's reset ({@link ReplayCoordinator}), instead of its processor: the
 * event table is read through one cursor up to a settled position {@code S} (every position at or below it holds its
 * event or never will: {@link SettledStore}), the events are deserialised as Axon does (the event serializer and the
 * upcasters) and handed to the read model's {@link BulkRebuild} in chunks. Each chunk's rows and the group's tokens,
 * every segment at the chunk's end as a gap-free {@link GapAwareTrackingToken} (no gap can be filled below {@code S}),
 * commit in one transaction: a node killed at any point leaves rows and tokens that agree, and whoever loads next
 * carries on from the tokens. At {@code S} the claims are released and the processors go on live from there.
 *
 * <p>While it loads, the tokens belong to "{@code <node> bulk replay}" with a claim time {@link #LEASE} ahead: no
 * processor of any node can claim them (Axon claims a token whose owner is another only once its time is older than
 * the claim timeout), so none writes entries beside the load, even a node started during it. One loader at a time
 * across the nodes: each run holds a session advisory lock, which PostgreSQL drops with a dead node's connection.
 */
@Component
class BulkReplay {

    private static final Logger log = LoggerFactory.getLogger(BulkReplay.class);

    /** How long a loader's claim holds the processors off without being renewed (each chunk renews it). */
    static final Duration LEASE = Duration.ofMinutes(5);
    /** pg_try_advisory_lock(key1, key2) key1: "bulk" in ASCII; key2 is the group's hash. */
    private static final int LOCK_KEY = 0x62756c6b;
    /** Rows deserialised together (Axon's upcasting works on streams). */
    private static final int BATCH = 500;
    private static final String EVENTS = """
            SELECT global_index, type, aggregate_identifier, sequence_number, event_identifier, time_stamp,
                   payload_type, payload_revision, payload, meta_data
              FROM command_side.domain_event_entry
             WHERE global_index > ? AND global_index <= ?
             ORDER BY global_index
            """;

    /** Where a run stopped. */
    enum Outcome { LOADED, BUSY, NOT_SETTLED, NOT_CLAIMABLE }

    private final DataSource dataSource;
    private final TransactionTemplate transaction;
    private final SettledStore settled;
    private final Serializer tokenSerializer;
    private final Serializer eventSerializer;
    private final org.axonframework.config.Configuration axon;
    private final TokenSchema schema;
    private final LongStatements longStatements;
    private final int chunkEvents;
    private final Duration chunkTime;
    /** The first chunk's events; the next ones are sized by how long the last took, up to chunkEvents. */
    private static final int FIRST_CHUNK = 1_000;
    private final int fetchSize;
    /** Axon's claim timeout, as its token store has it: a processor's claim this old is free. */
    private final Duration claimTimeout;
    /** Claim times and leases, as the token store's timestamps. */
    private final Clock clock;

    BulkReplay(DataSource dataSource, PlatformTransactionManager transactions, SettledStore settled,
               Serializer tokenSerializer, @Qualifier("eventSerializer") Serializer eventSerializer,
               org.axonframework.config.Configuration axon, TokenSchema schema, LongStatements longStatements,
               @Value("${svcaccounts.replay.bulk.chunk-events:50000}") int chunkEvents,
               @Value("${svcaccounts.replay.bulk.chunk-time:1s}") Duration chunkTime,
               @Value("${svcaccounts.replay.bulk.fetch-size:5000}") int fetchSize,
               @Value("${axon.eventhandling.tokenstore.claim-timeout:10s}") Duration claimTimeout, Clock clock) {
        this.dataSource = dataSource;
        this.transaction = new TransactionTemplate(transactions);
        this.settled = settled;
        this.tokenSerializer = tokenSerializer;
        this.eventSerializer = eventSerializer;
        this.axon = axon;
        this.schema = schema;
        this.longStatements = longStatements;
        this.chunkEvents = chunkEvents;
        this.chunkTime = chunkTime;
        this.fetchSize = fetchSize;
        this.claimTimeout = claimTimeout;
        this.clock = clock;
    }

    /**
     * Loads the group's read model from where its tokens are up to the settled position, unless another node is
     * loading it (BUSY), an insert into the store is still running (NOT_SETTLED) or a processor still holds one of
     * its segments (NOT_CLAIMABLE): then the caller tries again later.
     *
     * @param handlers the group's event handlers, for the events {@code rebuild} does not take
     */
    Outcome load(BulkRebuild rebuild, EventHandlerInvoker handlers, String node) throws SQLException {
        String group = rebuild.processingGroup();
        String owner = node + " bulk replay";
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(true);
            if (!advisoryLock(lock, "pg_try_advisory_lock", group)) {
                return Outcome.BUSY;
            }
            try {
                long upTo = settled.settledUpTo(5_000);
                if (upTo < 0) {
                    return Outcome.NOT_SETTLED;
                }
                // without the pool's socket timeout: a chunk's COPY may wait longer for PostgreSQL than a request
                Long from = transaction.execute(status -> longStatements.run(() -> claim(rebuild, owner)));
                if (from == null) {
                    return Outcome.NOT_CLAIMABLE;
                }
                long started = System.nanoTime();
                log.info("Replay of '{}': bulk rebuild on this node from position {} to {}", group, from, upTo);
                long events = copy(rebuild, handlers, owner, from, upTo);
                double seconds = (System.nanoTime() - started) / 1e9;
                log.info("Replay of '{}': bulk rebuild reached position {}: {} events in {} s ({} events/s); "
                                + "the processors go on from there", group, upTo, events,
                        String.format(java.util.Locale.ROOT, "%.1f", seconds),
                        String.format(java.util.Locale.ROOT, "%,.0f", events / Math.max(seconds, 1e-3)));
                return Outcome.LOADED;
            } finally {
                advisoryLock(lock, "pg_advisory_unlock", group);
            }
        }
    }

    /**
     * Takes the group's tokens for this loader and returns the position every segment has handled, after which the
     * read model's rows are discarded; null when a processor holds a segment (or the group has none).
     */
    private Long claim(BulkRebuild rebuild, String owner) {
        String group = rebuild.processingGroup();
        Connection connection = DataSourceUtils.getConnection(dataSource);
        Instant now = clock.instant();
        long from = Long.MAX_VALUE;
        int segments = 0;
        try (PreparedStatement select = connection.prepareStatement("SELECT " + schema.segmentColumn() + ", "
                + schema.tokenColumn() + ", " + schema.tokenTypeColumn() + ", " + schema.ownerColumn() + ", "
                + schema.timestampColumn() + " FROM " + schema.tokenTable() + " WHERE "
                + schema.processorNameColumn() + " = ? FOR UPDATE")) {
            select.setString(1, group);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    segments++;
                    String holder = rs.getString(4);
                    String time = rs.getString(5);
                    if (holder != null && !holder.equals(owner) && time != null) {
                        Instant claimed = DateTimeUtils.parseInstant(time);
                        // a processor's live claim: neither a loader's lease (ahead of now) nor timed out
                        boolean lease = claimed.isAfter(now.plus(claimTimeout));
                        boolean expired = claimed.isBefore(now.minus(claimTimeout));
                        if (!lease && !expired) {
                            return null;
                        }
                    }
                    TrackingToken token = token(rs.getBytes(2), rs.getString(3));
                    from = Math.min(from, TrackingPositions.segment(rs.getInt(1), token, holder).safePosition());
                }
            }
            if (segments == 0) {
                return null;
            }
            renew(connection, group, owner);
            rebuild.begin(connection, from);
            return from;
        } catch (SQLException e) {
            throw new IllegalStateException("could not claim the tokens of '" + group + "'", e);
        }
    }

    private long copy(BulkRebuild rebuild, EventHandlerInvoker handlers, String owner, long from, long upTo)
            throws SQLException {
        long events = 0;
        try (Prefetch reader = new Prefetch(from, upTo, axon.upcasterChain())) {
            boolean more = true;
            long size = Math.min(FIRST_CHUNK, chunkEvents);
            while (more) {
                long started = System.nanoTime();
                long limit = size;
                long[] chunk = transaction.execute(status -> longStatements.run(
                        () -> chunk(rebuild, handlers, owner, reader, upTo, limit)));
                events += chunk[0];
                more = chunk[1] == 1;
                size = nextSize(size, System.nanoTime() - started);
            }
        }
        return events;
    }

    /**
     * The next chunk's events: what would have taken the chunk time at the last chunk's pace, at most four times
     * the last and at least a batch. COPY's rows wait in the socket's buffers, so the time alone would not bound a
     * chunk when PostgreSQL is slow: the writer is done long before the server.
     */
    long nextSize(long size, long tookNanos) {
        double pace = size / (double) Math.max(tookNanos, 1);
        long next = (long) (pace * chunkTime.toNanos());
        return Math.max(BATCH, Math.min(Math.min(next, 4 * size), chunkEvents));
    }

    /** One chunk of up to {@code limit} events, in the caller's transaction; {events, 1 if there is more}. */
    private long[] chunk(BulkRebuild rebuild, EventHandlerInvoker handlers, String owner, Prefetch reader,
                         long upTo, long limit) {
        String group = rebuild.processingGroup();
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            checkOwned(connection, group, owner);
            long deadline = System.nanoTime() + chunkTime.toNanos();
            long events = 0;
            List<TrackedEventMessage<?>> left = new ArrayList<>();
            boolean more = true;
            try (BulkRebuild.Chunk chunk = rebuild.chunk(connection)) {
                while (events < limit && System.nanoTime() < deadline) {
                    Batch batch = reader.next();
                    if (batch == null) {
                        more = false;
                        break;
                    }
                    for (TrackedEventMessage<?> event : batch.events()) {
                        if (!chunk.add(position(event), event) && handlers.canHandle(event, Segment.ROOT_SEGMENT)) {
                            left.add(event);
                        }
                    }
                    events += batch.events().size();
                }
            }
            for (TrackedEventMessage<?> event : left) {
                handle(handlers, event);
            }
            if (!more) {
                rebuild.finish(connection);
            }
            long end = more ? reader.position() : upTo;
            storeTokens(connection, group, GapAwareTrackingToken.newInstance(end, Collections.emptySortedSet()),
                    more ? owner : null, more ? clock.instant().plus(LEASE) : clock.instant());
            return new long[]{events, more ? 1 : 0};
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("bulk rebuild of '" + group + "' failed", e);
        }
    }

    private static void handle(EventHandlerInvoker handlers, TrackedEventMessage<?> event) throws Exception {
        DefaultUnitOfWork<TrackedEventMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(event);
        try {
            handlers.handle(event, Segment.ROOT_SEGMENT);
        } catch (Exception e) {
            unitOfWork.rollback(e);
            throw e;
        }
        unitOfWork.commit();
    }

    private static long position(TrackedEventMessage<?> event) {
        return event.trackingToken().position().orElseThrow();
    }

    private void checkOwned(Connection connection, String group, String owner) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + schema.ownerColumn() + " FROM "
                + schema.tokenTable() + " WHERE " + schema.processorNameColumn() + " = ? FOR UPDATE")) {
            select.setString(1, group);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (!owner.equals(rs.getString(1))) {
                        throw new IllegalStateException("the tokens of '" + group + "' are no longer this loader's");
                    }
                }
            }
        }
    }

    private void renew(Connection connection, String group, String owner) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + schema.tokenTable() + " SET "
                + schema.ownerColumn() + " = ?, " + schema.timestampColumn() + " = ? WHERE "
                + schema.processorNameColumn() + " = ?")) {
            update.setString(1, owner);
            update.setString(2, DateTimeUtils.formatInstant(clock.instant().plus(LEASE)));
            update.setString(3, group);
            update.executeUpdate();
        }
    }

    /** Every segment of the group at {@code token}, as Axon's token store writes it. */
    private void storeTokens(Connection connection, String group, TrackingToken token, String owner, Instant time)
            throws SQLException {
        SerializedObject<byte[]> serialized = tokenSerializer.serialize(token, byte[].class);
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + schema.tokenTable() + " SET "
                + schema.tokenColumn() + " = ?, " + schema.tokenTypeColumn() + " = ?, " + schema.ownerColumn()
                + " = ?, " + schema.timestampColumn() + " = ? WHERE " + schema.processorNameColumn() + " = ?")) {
            update.setBytes(1, serialized.getData());
            update.setString(2, serialized.getType().getName());
            update.setString(3, owner);
            update.setString(4, DateTimeUtils.formatInstant(time));
            update.setString(5, group);
            update.executeUpdate();
        }
    }

    private TrackingToken token(byte[] bytes, String type) {
        if (bytes == null || type == null) {
            return null;
        }
        return tokenSerializer.deserialize(new SimpleSerializedObject<>(bytes, byte[].class, type, null));
    }

    private boolean advisoryLock(Connection connection, String function, String group) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + function + "(?, hashtext(?))")) {
            statement.setInt(1, LOCK_KEY);
            statement.setString(2, group);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** A batch of the cursor's rows as Axon's event messages; {@code position}: the global index of its last row. */
    record Batch(List<TrackedEventMessage<?>> events, long position) {
    }

    /**
     * The cursor's rows as Axon's event messages, upcast and deserialised as Axon does, a batch at a time: read on a
     * thread of its own, a few batches ahead of the chunks that map and write them, so that the two overlap. The
     * reader writes nothing: a chunk's rows and its tokens (at the last batch the chunk took) are written by the
     * chunk's transaction alone, and the batches read ahead of a chunk that failed or of a node that was killed are
     * only lost, read again by the next load from its tokens.
     */
    private final class Prefetch implements AutoCloseable {

        /** Batches read ahead. */
        private static final int AHEAD = 4;
        /** How long closing waits for the reader to finish the fetch it is in. */
        private static final long CLOSE_WAIT_MILLIS = 30_000;
        private static final Batch END = new Batch(List.of(), -1);

        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
        private final Thread thread;
        private volatile boolean closed;
        /** Seen by the chunks' thread only: a failure or the end was taken. */
        private boolean over;
        /** Seen by the chunks' thread only: the global index of the last row of the last batch taken. */
        private long position;

        Prefetch(long from, long upTo, EventUpcaster upcasters) {
            position = from;
            thread = new Thread(() -> read(from, upTo, upcasters), "projection-bulk-replay-reader");
            thread.setDaemon(true);
            thread.start();
        }

        /** The global index of the last row of the batches taken (a chunk's tokens go there). */
        long position() {
            return position;
        }

        /** The next batch, or null after the last; throws what the reader failed with. */
        Batch next() throws SQLException, InterruptedException {
            if (over) {
                return null;
            }
            Object next = queue.take();
            if (next instanceof Batch batch && batch != END) {
                position = batch.position();
                return batch;
            }
            over = true;
            if (next == END) {
                return null;
            }
            if (next instanceof SQLException e) {
                throw e;
            } else if (next instanceof RuntimeException e) {
                throw e;
            } else if (next instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("reading the event store failed", (Throwable) next);
        }

        private void read(long from, long upTo, EventUpcaster upcasters) {
            Object last = END;
            try (Connection reading = dataSource.getConnection()) {
                reading.setAutoCommit(false); // a server-side cursor: fetchSize rows per round trip
                reading.setNetworkTimeout(Runnable::run, 0); // the pool sets it again when the connection returns
                try (PreparedStatement select = reading.prepareStatement(EVENTS, ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY)) {
                    select.setFetchSize(fetchSize);
                    if (select.isWrapperFor(PGStatement.class)) {
                        select.unwrap(PGStatement.class).setPrepareThreshold(-1); // binary rows: bytea as bytes
                    }
                    select.setLong(1, from);
                    select.setLong(2, upTo);
                    try (ResultSet rows = select.executeQuery()) {
                        List<StoredEventData> data = rows(rows);
                        while (!data.isEmpty() && !closed) {
                            Batch batch = new Batch(deserialised(data, upcasters),
                                    data.get(data.size() - 1).globalIndex());
                            if (!put(batch)) {
                                return;
                            }
                            data = rows(rows);
                        }
                    }
                } finally {
                    reading.rollback();
                }
            } catch (Throwable e) {
                last = e;
            }
            put(last);
        }

        private static List<StoredEventData> rows(ResultSet rows) throws SQLException {
            List<StoredEventData> data = new ArrayList<>(BATCH);
            while (data.size() < BATCH && rows.next()) {
                data.add(new StoredEventData(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getLong(4),
                        rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8),
                        rows.getBytes(9), rows.getBytes(10)));
            }
            return data;
        }

        /** Axon's messages deserialise lazily: here, on the reader's thread, not the chunks'. */
        private List<TrackedEventMessage<?>> deserialised(List<StoredEventData> data, EventUpcaster upcasters) {
            List<TrackedEventMessage<?>> events = EventUtils.upcastAndDeserializeTrackedEvents(data.stream(),
                    eventSerializer, upcasters).toList();
            for (TrackedEventMessage<?> event : events) {
                event.getPayload();
                event.getMetaData();
                event.getTimestamp();
            }
            return events;
        }

        /** Waits for room; false when closed meanwhile. */
        private boolean put(Object item) {
            try {
                while (!closed) {
                    if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        /** Stops the reader; it ends once the fetch it is in returns. */
        @Override
        public void close() {
            closed = true;
            queue.clear();
            try {
                thread.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // shutting down: the reader ends by itself
            }
        }
    }
}
