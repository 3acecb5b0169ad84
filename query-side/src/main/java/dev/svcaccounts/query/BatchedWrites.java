package dev.svcaccounts.query;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * The projections' writes. In a processor's batch (its unit of work spans the batch) they are queued and sent
 * just before the batch's transaction commits, in the order the handlers made them, every run of the same
 * statement as one JDBC batch: one round trip for the run instead of one per event. Outside a unit of work (a
 * handler called directly) a write runs at once. The handlers only write, never read what the batch wrote and never
 * use a write's count, so the rows come out the same; a failing write fails the batch's commit, which rolls the
 * batch back as a failing handler did. The queue belongs to the batch, so the writes of the projections of one
 * processing group keep their order among each other too.
 */
public final class BatchedWrites {

    private static final Logger LOG = LoggerFactory.getLogger(BatchedWrites.class);
    private static final String PENDING = BatchedWrites.class.getName() + ".pending";

    private final JdbcTemplate jdbc;

    public BatchedWrites(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** {@link JdbcTemplate#update(String, Object...)}, now or with the batch's other writes. */
    public void update(String sql, Object... args) {
        if (!CurrentUnitOfWork.isStarted()) {
            jdbc.update(sql, args);
            return;
        }
        pending().add(new Write(jdbc, sql, args));
    }

    private static List<Write> pending() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(PENDING, key -> {
            List<Write> writes = new ArrayList<>();
            batch.onPrepareCommit(committing -> flush(writes));
            return writes;
        });
    }

    /** Sends the writes in order; a run of the same statement goes as one batch. */
    static void flush(List<Write> writes) {
        int start = 0;
        int runs = 0;
        while (start < writes.size()) {
            Write first = writes.get(start);
            int end = start + 1;
            while (end < writes.size() && writes.get(end).sameStatementAs(first)) {
                end++;
            }
            if (end - start == 1) {
                first.jdbc().update(first.sql(), first.args());
            } else {
                first.jdbc().batchUpdate(first.sql(), writes.subList(start, end).stream().map(Write::args).toList());
            }
            start = end;
            runs++;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} writes in {} round trips", writes.size(), runs);
        }
        writes.clear();
    }

    record Write(JdbcTemplate jdbc, String sql, Object[] args) {

        boolean sameStatementAs(Write other) {
            return jdbc == other.jdbc && sql.equals(other.sql);
        }
    }
}
