package dev.svcaccounts.query.verification;

import dev.svcaccounts.events.integrity.StoredEvent;
import dev.svcaccounts.query.integrity.MerkleLogStore;
import dev.svcaccounts.query.integrity.TrustedKeys;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Checks the event store against the Merkle log, in one read-only snapshot: every row up to the log's end, in
 * position order through one cursor, is hashed again and merged with the log's leaves (a second cursor); the first
 * disagreement is classified ({@link Classifier}). The store's own leaves build the tree again on a {@link RightEdge},
 * whose root at each checkpoint's size must be the signed one ({@link CheckpointCheck}). Memory stays flat: two rows,
 * 64 hashes and a page of checkpoints, whatever the size of the store.
 */
@Component
class StoreVerifier {

    /** Told of the progress every {@link #REPORT_EVERY} events; may throw to stop the verification. */
    @FunctionalInterface
    interface Progress {
        void report(long checkedEvents, long totalEvents, long checkpointsChecked);
    }

    record Outcome(Failure failure, long checkedEvents, long totalEvents, long checkpointsChecked) {
    }

    record Row(long position, byte[] leafHash) {
    }

    record Leaf(long leafIndex, long position, byte[] leafHash) {
    }

    static final int REPORT_EVERY = 5_000;

    private static final String ROWS = """
            SELECT global_index, event_identifier, aggregate_identifier, sequence_number, type, payload_type,
                   payload_revision, time_stamp, payload, meta_data
              FROM command_side.domain_event_entry
             WHERE global_index <= ?
             ORDER BY global_index
            """;
    private static final String LEAVES =
            "SELECT leaf_index, position, leaf_hash FROM query_side.merkle_leaf ORDER BY leaf_index";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final MerkleLogStore store;
    private final TransactionTemplate snapshot;
    private final int fetchSize;

    StoreVerifier(DataSource dataSource, JdbcTemplate jdbc, MerkleLogStore store,
                  PlatformTransactionManager transactions,
                  @Value("${svcaccounts.audit.verification.fetch-size:2000}") int fetchSize) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.store = store;
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
        this.fetchSize = fetchSize;
    }

    Outcome verify(TrustedKeys keys, Progress progress) {
        return snapshot.execute(status -> {
            try {
                return verifyInSnapshot(keys, progress);
            } catch (SQLException e) {
                throw jdbc.getExceptionTranslator().translate("verifying the event store", null, e);
            }
        });
    }

    private Outcome verifyInSnapshot(TrustedKeys keys, Progress progress) throws SQLException {
        Leaf end = jdbc.query(LEAVES.replace("ORDER BY leaf_index", "ORDER BY leaf_index DESC LIMIT 1"),
                (rs, i) -> leaf(rs)).stream().findFirst().orElse(null);
        long total = end == null ? 0 : end.leafIndex() + 1;
        progress.report(0, total, 0);
        CheckpointCheck checkpoints = new CheckpointCheck(jdbc, store, keys);
        Classifier classifier = new Classifier(jdbc, checkpoints);
        RightEdge edge = new RightEdge();
        Failure failure = checkpoints.reached(edge);
        var connection = DataSourceUtils.getConnection(dataSource);
        try (Cursor<Row> rows = new Cursor<>(connection, ROWS, fetchSize, StoreVerifier::row,
                end == null ? -1 : end.position());
             Cursor<Leaf> leaves = new Cursor<>(connection, LEAVES, fetchSize, StoreVerifier::leaf)) {
            Row row = rows.next();
            Leaf leaf = leaves.next();
            long previous = -1;
            while (failure == null && (row != null || leaf != null)) {
                if (leaf != null && leaf.leafIndex() != edge.size()) {
                    failure = classifier.leavesMissing(edge.size(), previous, leaf, row);
                } else if (leaf != null && (row == null || row.position() > leaf.position())) {
                    failure = classifier.missing(leaf, row == null, total);
                } else if (leaf == null || row.position() < leaf.position()) {
                    failure = classifier.unlogged(row, previous, leaf);
                } else if (!Arrays.equals(row.leafHash(), leaf.leafHash())) {
                    failure = classifier.changed(row, leaf);
                } else {
                    edge.append(row.leafHash());
                    failure = checkpoints.reached(edge);
                    if (edge.size() % REPORT_EVERY == 0) {
                        progress.report(edge.size(), total, checkpoints.checked());
                    }
                    previous = row.position();
                    row = rows.next();
                    leaf = leaves.next();
                }
            }
        }
        if (failure == null) {
            failure = checkpoints.beyond(edge.size());
        }
        return new Outcome(failure, edge.size(), total, checkpoints.checked());
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), new StoredEvent(rs.getString(2), rs.getString(3), rs.getLong(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getBytes(9),
                rs.getBytes(10)).leafHash());
    }

    private static Leaf leaf(ResultSet rs) throws SQLException {
        return new Leaf(rs.getLong(1), rs.getLong(2), rs.getBytes(3));
    }
}
