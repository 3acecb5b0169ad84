package dev.svcaccounts.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bench verify} (issue 17): on a store the query side at {@code --query-url} has just been started on with an
 * empty Merkle log (as after the upgrade to the release that brings it), times how long the log takes to take in
 * every event ({@code log.*}), waits for the checkpoint of the whole log, then asks for a whole-store verification
 * ({@code POST /v1/admin/audit/verify} as the operator, {@code BENCH_OPERATOR_TOKEN}) and polls its progress until it
 * is over ({@code verify.*}: seconds from the request to the result, events per second, its outcome). Progress of
 * the log is the highest leaf index, an index lookup polled every {@value #POLL_MILLIS} ms.
 */
final class VerifyWatch {

    static final int POLL_MILLIS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private VerifyWatch() {
    }

    static void run(Options options) throws Exception {
        long timeoutNanos = options.integer("timeout", 1800) * 1_000_000_000L;
        String queryUrl = options.string("query-url");
        String operator = Options.secret("BENCH_OPERATOR_TOKEN");
        Results results = new Results();
        Map<String, Long> watched = new LinkedHashMap<>(options.watched());
        watched.put("load_generator", ProcessHandle.current().pid());
        try (Connection db = DriverManager.getConnection(options.string("jdbc-url"), options.string("db-user"), "")) {
            long events = single(db, "SELECT count(*) FROM command_side.domain_event_entry");
            results.put("log.events", events);
            System.err.printf("[bench] log: waiting for the Merkle log to take in %,d events%n", events);
            ProcessSampler sampler = new ProcessSampler(watched, options.integer("clock-ticks", 100)).start();
            long started = System.nanoTime();
            long deadline = started + timeoutNanos;
            long atStart = leaves(db);
            long lastReport = started;
            long leaves = atStart;
            while (leaves < events && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MILLIS);
                leaves = leaves(db);
                if (System.nanoTime() - lastReport > 10_000_000_000L) {
                    System.err.printf("[bench] log: %,d of %,d leaves%n", leaves, events);
                    lastReport = System.nanoTime();
                }
            }
            double logSeconds = (System.nanoTime() - started) / 1e9;
            sampler.stop().writeTo(results, "log");
            results.put("log.complete", leaves >= events ? "true" : "false");
            results.put("log.leaves_at_first_look", atStart);
            results.put("log.seconds", logSeconds);
            results.put("log.rate", (leaves - atStart) / logSeconds);
            System.err.printf("[bench] log: %,d leaves in %.1f s (%,.0f events/s; %,d were in at the first look)%n",
                    leaves, logSeconds, (leaves - atStart) / logSeconds, atStart);
            while (single(db, "SELECT coalesce(max(tree_size), 0) FROM query_side.merkle_checkpoint") < leaves
                    && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MILLIS);
            }
            results.put("verify.checkpoints", single(db, "SELECT count(*) FROM query_side.merkle_checkpoint"));

            sampler = new ProcessSampler(watched, options.integer("clock-ticks", 100)).start();
            long requested = System.nanoTime();
            JsonNode verification = send(queryUrl + "/v1/admin/audit/verify", "POST", operator, 202);
            String location = queryUrl + "/v1/admin/audit/verifications/"
                    + verification.path("verificationId").asText();
            lastReport = requested;
            while ("running".equals(verification.path("status").asText()) && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MILLIS);
                verification = send(location, "GET", operator, 200);
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    System.err.printf("[bench] verify: %,d of %,d events%n",
                            verification.path("progress").path("checkedEvents").asLong(),
                            verification.path("progress").path("totalEvents").asLong());
                    lastReport = System.nanoTime();
                }
            }
            double polled = (System.nanoTime() - requested) / 1e9;
            sampler.stop().writeTo(results, "verify");
            long checked = verification.path("progress").path("checkedEvents").asLong();
            double seconds = verification.path("finishedAt").isTextual()
                    ? Duration.between(Instant.parse(verification.path("requestedAt").asText()),
                    Instant.parse(verification.path("finishedAt").asText())).toMillis() / 1000.0 : polled;
            results.put("verify.status", verification.path("status").asText());
            results.put("verify.events", checked);
            results.put("verify.checkpoints_checked", verification.path("checkpointsChecked").asLong());
            results.put("verify.seconds", seconds);
            results.put("verify.rate", checked / seconds);
            System.err.printf("[bench] verify: %s, %,d events and %,d checkpoints in %.1f s (%,.0f events/s)%s%n",
                    verification.path("status").asText(), checked, verification.path("checkpointsChecked").asLong(),
                    seconds, checked / seconds, verification.path("firstFailure").isNull() ? ""
                            : "; first failure: " + verification.path("firstFailure"));
        }
        results.write(options.path("out"));
    }

    private static long leaves(Connection db) throws SQLException {
        return single(db, "SELECT coalesce(max(leaf_index) + 1, 0) FROM query_side.merkle_leaf");
    }

    private static JsonNode send(String url, String method, String operator, int expected) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + operator)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + " was answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static long single(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
