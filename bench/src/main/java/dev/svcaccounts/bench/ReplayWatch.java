package dev.svcaccounts.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench replay}: asks the query side at {@code --query-url} to replay the audit projection
 * ({@code POST /v1/admin/projections/audit/replay} as the operator, whose credential comes from the environment
 * variable {@code BENCH_OPERATOR_TOKEN}), watches it rebuild {@code query_side.audit_entry} from the whole event
 * store, which must start empty, and writes {@code replay.*}: events per second overall, over the first tenth
 * and over the last tenth of the events.
 *
 * <p>Progress is the highest position written, polled every {@value #POLL_MILLIS} ms: an index lookup that costs
 * the database nothing, where {@code count(*)} over a million rows would load it. The four segments move
 * together (the processor's coordinator reads the stream once for all of them), so all events up to that
 * position are written but for a few batches. The replay is done when every event has its entry (an exact count,
 * taken only at the end). The clock starts at the first entry seen: the time from the replay request (the
 * query nodes pause the group, one resets it) to that entry is reported apart. The replay is asked for once the
 * query side's Merkle log holds every event ({@code replay.log_wait_seconds}: how long that took from the start).
 */
final class ReplayWatch {

    static final int POLL_MILLIS = 200;

    /** Progress at one moment: {@code done} is the share of the store's events below the highest position. */
    record Sample(long nanos, double done) {
    }

    private ReplayWatch() {
    }

    private static void requestReplay(String queryUrl, String operatorToken) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                .uri(URI.create(queryUrl + "/v1/admin/projections/audit/replay"))
                .header("Authorization", "Bearer " + operatorToken)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("the replay request was answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    static void run(Options options) throws Exception {
        long launched;
        long timeoutNanos = options.integer("timeout", 1800) * 1_000_000_000L;
        Results results = new Results();
        try (Connection db = DriverManager.getConnection(options.string("jdbc-url"), options.string("db-user"), "")) {
            long events = single(db, "SELECT count(*) FROM command_side.domain_event_entry");
            long first = single(db, "SELECT min(global_index) FROM command_side.domain_event_entry");
            long last = single(db, "SELECT max(global_index) FROM command_side.domain_event_entry");
            if (single(db, "SELECT count(*) FROM (SELECT 1 FROM query_side.audit_entry LIMIT 1) any_entry") != 0) {
                throw new IllegalStateException("query_side.audit_entry is not empty: nothing would be replayed");
            }
            waitForMerkleLog(db, events, timeoutNanos, results);
            launched = System.nanoTime();
            requestReplay(options.string("query-url"), Options.secret("BENCH_OPERATOR_TOKEN"));
            System.err.printf("[bench] replay requested: waiting for the audit projection to rebuild %,d events%n",
                    events);
            results.put("replay.events", events);

            List<Sample> samples = new ArrayList<>();
            ProcessSampler sampler = null;
            long deadline = launched + timeoutNanos;
            long doneAt = -1;
            long lastReport = System.nanoTime();
            while (System.nanoTime() < deadline) {
                long position = single(db, "SELECT coalesce(max(position), 0) FROM query_side.audit_entry");
                long now = System.nanoTime();
                if (position > 0) {
                    if (sampler == null) {
                        Map<String, Long> watched = new LinkedHashMap<>(options.watched());
                        watched.put("load_generator", ProcessHandle.current().pid()); // this poller
                        sampler = new ProcessSampler(watched, options.integer("clock-ticks", 100)).start();
                        results.put("replay.startup_seconds", (now - launched) / 1e9);
                    }
                    samples.add(new Sample(now, Math.min(1.0, (position - first + 1) / (double) (last - first + 1))));
                    if (position >= last
                            && single(db, "SELECT count(*) FROM query_side.audit_entry") >= events) {
                        doneAt = now;
                        break;
                    }
                }
                if (now - lastReport > 10_000_000_000L && !samples.isEmpty()) {
                    System.err.printf("[bench] replay: %.0f%%%n", samples.get(samples.size() - 1).done() * 100);
                    lastReport = now;
                }
                Thread.sleep(POLL_MILLIS);
            }
            if (sampler != null) {
                sampler.stop().writeTo(results, "replay");
            }
            writeRates(results, samples, events, doneAt);
        }
        results.write(options.path("out"));
    }

    /**
     * Waits until the query side's Merkle log (issue 17) holds a leaf for every event of the store and a checkpoint
     * over all of them: the query side starts right after the bench copied a million events into the store, and its
     * log takes them in from its start. Without the wait the replay's figures would include that intake (its thread
     * and its leaf inserts). A build without the log has nothing to wait for.
     */
    private static void waitForMerkleLog(Connection db, long events, long timeoutNanos, Results results)
            throws Exception {
        if (single(db, "SELECT count(*) FROM pg_class WHERE oid = to_regclass('query_side.merkle_leaf')") == 0) {
            return;
        }
        long started = System.nanoTime();
        long deadline = started + timeoutNanos;
        long leaves = 0;
        long lastReport = started;
        while (System.nanoTime() < deadline
                && ((leaves = single(db, "SELECT coalesce(max(leaf_index) + 1, 0) FROM query_side.merkle_leaf"))
                < events
                || single(db, "SELECT coalesce(max(tree_size), 0) FROM query_side.merkle_checkpoint") < leaves)) {
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                System.err.printf("[bench] replay: waiting for the Merkle log: %,d of %,d leaves%n", leaves, events);
                lastReport = System.nanoTime();
            }
            Thread.sleep(POLL_MILLIS);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        results.put("replay.log_wait_seconds", seconds);
        System.err.printf("[bench] replay: the Merkle log holds the %,d events (waited %.1f s); the replay starts%n",
                leaves, seconds);
    }

    /** replay.rate, replay.first_tenth_rate, replay.last_tenth_rate (events/s); replay.complete; replay.done. */
    static void writeRates(Results results, List<Sample> samples, long events, long doneAt) {
        results.put("replay.complete", doneAt >= 0 ? "true" : "false");
        if (samples.size() < 2) {
            results.put("replay.done", samples.isEmpty() ? 0 : samples.get(0).done());
            return;
        }
        Sample start = samples.get(0);
        Sample end = samples.get(samples.size() - 1);
        results.put("replay.done", end.done());
        results.put("replay.seconds", (end.nanos() - start.nanos()) / 1e9);
        results.put("replay.rate", rate(events, start.done(), start.nanos(), end.done(), end.nanos()));
        if (end.done() >= 0.1) {
            results.put("replay.first_tenth_rate", rate(events, start.done(), start.nanos(),
                    Math.max(0.1, start.done()), timeAt(samples, Math.max(0.1, start.done()))));
        }
        if (doneAt >= 0) {
            results.put("replay.last_tenth_rate", rate(events, 0.9, timeAt(samples, 0.9), 1.0, doneAt));
        }
    }

    private static double rate(long events, double fromDone, long fromNanos, double toDone, long toNanos) {
        double seconds = (toNanos - fromNanos) / 1e9;
        return seconds <= 0 ? Double.NaN : (toDone - fromDone) * events / seconds;
    }

    /** When progress reached {@code done}, interpolated between the samples around it. */
    static long timeAt(List<Sample> samples, double done) {
        Sample before = samples.get(0);
        for (Sample s : samples) {
            if (s.done() >= done) {
                if (s.done() == before.done()) {
                    return s.nanos();
                }
                double share = (done - before.done()) / (s.done() - before.done());
                return before.nanos() + Math.round(share * (s.nanos() - before.nanos()));
            }
            before = s;
        }
        return before.nanos();
    }

    private static long single(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
