package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.StoredEvent;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Appends every settled event of the store to the Merkle log, in global-index order, reading the rows as stored (not
 * through Axon: the leaf is over the stored bytes, and read-model replays never come here). One node appends at a
 * time (a transaction-scoped advisory lock); any node may, so the log goes on when a node is lost. Commands never
 * wait for it: it reads behind them. A database written by an earlier release is brought in by the same loop, in
 * batches, from the first event.
 */
@Component
class MerkleLogAppender {

    /** pg_try_advisory_xact_lock key: "merkle" in ASCII. */
    static final long LOCK = 0x6d65726b6c65L;
    static final int BATCH = 5_000;
    private static final long UNKNOWN = -2;

    private static final Logger log = LoggerFactory.getLogger(MerkleLogAppender.class);

    private static final String EVENTS = """
            SELECT global_index, event_identifier, aggregate_identifier, sequence_number, type, payload_type,
                   payload_revision, time_stamp, payload, meta_data
              FROM command_side.domain_event_entry
             WHERE global_index > ? AND global_index <= ?
             ORDER BY global_index
             LIMIT ?
            """;

    private record Row(long position, byte[] leafHash) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final MerkleLogStore store;
    private final SettledStore settled;
    private final ObjectProvider<LogHeadListener> listeners;
    private final Duration interval;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "merkle-log");
        thread.setDaemon(true);
        return thread;
    });
    /** While the database is away: one warning a minute, not one per attempt. */
    private static final long WARN_EVERY_NANOS = 60_000_000_000L;
    private long failingSince;
    private long lastWarning;
    /** The right edge as this node last appended it; reloaded whenever the stored log has another size. */
    private Frontier frontier;

    MerkleLogAppender(JdbcTemplate jdbc, PlatformTransactionManager transactions, MerkleLogStore store,
                      SettledStore settled, ObjectProvider<LogHeadListener> listeners,
                      @Value("${svcaccounts.merkle-log.interval:200ms}") Duration interval) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.store = store;
        this.settled = settled;
        this.listeners = listeners;
        this.interval = interval;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        executor.scheduleWithFixedDelay(this::appendQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Before the data source closes: a batch in flight is rolled back, and the next start appends it again. */
    @PreDestroy
    void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void appendQuietly() {
        try {
            appendSettled();
            failingSince = 0;
        } catch (RuntimeException e) {
            frontier = null;
            long now = System.nanoTime();
            if (failingSince == 0 || now - lastWarning > WARN_EVERY_NANOS) {
                log.warn("Merkle log: could not append ({}); trying again every {} ms", e.getMessage(),
                        interval.toMillis());
                lastWarning = now;
            }
            failingSince = failingSince == 0 ? now : failingSince;
        }
    }

    /**
     * Appends what is settled now; the number of leaves appended (0 also when another node holds the log). Only the
     * node holding the lock asks what is settled (it reads pg_locks), once per call, in its first transaction.
     */
    synchronized long appendSettled() {
        long[] upTo = {UNKNOWN};
        long appended = 0;
        long started = System.nanoTime();
        while (true) {
            Integer batch = transaction.execute(status -> {
                if (!Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class,
                        LOCK))) {
                    return null;
                }
                if (upTo[0] == UNKNOWN) {
                    upTo[0] = settled.settledUpTo(2_000);
                }
                return upTo[0] < 0 ? null : appendBatch(upTo[0]);
            });
            if (batch == null || batch == 0) {
                break;
            }
            appended += batch;
            if (batch < BATCH) {
                break;
            }
            log.info("Merkle log: {} leaves appended so far, up to position {} ({} ms)", appended, upTo[0],
                    (System.nanoTime() - started) / 1_000_000);
        }
        return appended;
    }

    /** One batch, in the transaction that holds the lock. */
    private Integer appendBatch(long upTo) {
        long size = store.size();
        long lastPosition = size == 0 ? 0 : store.leafAt(size - 1).orElseThrow().position();
        if (frontier == null || frontier.size() != size) {
            frontier = Frontier.load(store, size);
        }
        List<Row> rows = jdbc.query(EVENTS, (rs, i) -> new Row(rs.getLong(1), new StoredEvent(rs.getString(2),
                rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getBytes(9), rs.getBytes(10)).leafHash()), lastPosition, upTo, BATCH);
        if (rows.isEmpty()) {
            byte[] root = frontier.root();
            listeners.orderedStream().forEach(listener -> listener.appended(frontier.size(), root));
            return 0; // nothing new, but a checkpoint may be due by time
        }
        Long[] indexes = new Long[rows.size()];
        Long[] positions = new Long[rows.size()];
        byte[][] hashes = new byte[rows.size()][];
        List<Frontier.Subtree> subtrees = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            indexes[i] = size + i;
            positions[i] = rows.get(i).position();
            hashes[i] = rows.get(i).leafHash();
            subtrees.addAll(frontier.append(hashes[i]));
        }
        jdbc.update("INSERT INTO query_side.merkle_leaf (leaf_index, position, leaf_hash) "
                + "SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bytea[])", indexes, positions, hashes);
        for (Frontier.Subtree subtree : subtrees) {
            jdbc.update("INSERT INTO query_side.merkle_subtree (level, idx, hash) VALUES (?, ?, ?)",
                    subtree.level(), subtree.index(), subtree.hash());
        }
        byte[] root = frontier.root();
        listeners.orderedStream().forEach(listener -> listener.appended(frontier.size(), root));
        return rows.size();
    }
}
