package dev.svcaccounts.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * What the soak reads once a minute besides its own requests: each side's {@code /actuator/prometheus} (open
 * without a token: heap, threads, pool connections, open files, and on the query side the processors' lag), each
 * side's thread count from {@code /proc/PID/status}, and from PostgreSQL the client sessions, the database's size
 * and the event store's highest position. A reading that fails is NaN in its columns, and said on stderr.
 */
final class SoakGauges implements AutoCloseable {

    private static final double MB = 1024 * 1024;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> prometheusUrls; // role -> base URL
    private final Map<String, Long> pids;
    private final Connection db;

    SoakGauges(Map<String, String> prometheusUrls, Map<String, Long> pids, String jdbcUrl, String dbUser)
            throws SQLException {
        this.prometheusUrls = prometheusUrls;
        this.pids = pids;
        this.db = DriverManager.getConnection(jdbcUrl, dbUser, "");
    }

    void writeTo(Map<String, Double> row) {
        prometheusUrls.forEach((role, url) -> side(role, url, row));
        database(row);
    }

    private void side(String role, String url, Map<String, Double> row) {
        Prometheus p;
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("status " + response.statusCode());
            }
            p = Prometheus.parse(response.body());
        } catch (Exception e) {
            System.err.println("[soak] " + role + ": /actuator/prometheus failed: " + e);
            p = Prometheus.parse("");
        }
        row.put(role + ".heap_used_mb", p.sum("jvm_memory_used_bytes", "area", "heap") / MB);
        row.put(role + ".heap_committed_mb", p.sum("jvm_memory_committed_bytes", "area", "heap") / MB);
        // the long-lived pool (the old generation) right after the last collection: what a leak would raise
        row.put(role + ".old_after_gc_mb", p.max("jvm_memory_usage_after_gc", "area", "heap", "pool", "long-lived")
                * p.max("jvm_gc_max_data_size_bytes") / MB);
        // the same after the last collection of the old generation (a full one, or G1's concurrent cycle; 0 until
        // there has been one): the live heap, without the garbage young collections leave in the old generation
        double live = p.max("jvm_gc_live_data_size_bytes");
        row.put(role + ".live_after_old_gc_mb", live > 0 ? live / MB : Double.NaN);
        row.put(role + ".full_gcs", zeroIfAbsent(p.sum("jvm_gc_pause_seconds_count", "action", "end of major GC")));
        row.put(role + ".jvm_threads", p.max("jvm_threads_live_threads"));
        row.put(role + ".os_threads", procStatus(pids.get(role), "Threads:"));
        row.put(role + ".pool_connections", p.sum("hikaricp_connections"));
        row.put(role + ".pool_active", p.sum("hikaricp_connections_active"));
        row.put(role + ".open_files", p.max("process_files_open_files"));
        if (role.equals("query_side")) {
            row.put(role + ".lag_events", p.max("svcaccounts_processor_lag_events"));
        }
    }

    private static double zeroIfAbsent(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    private void database(Map<String, Double> row) {
        try {
            row.put("postgres.sessions", single("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"));
            row.put("postgres.db_size_mb", single("SELECT pg_database_size(current_database())") / MB);
            row.put("postgres.events",
                    single("SELECT coalesce(max(global_index), 0) FROM command_side.domain_event_entry"));
        } catch (SQLException e) {
            System.err.println("[soak] PostgreSQL: " + e);
            row.put("postgres.sessions", Double.NaN);
            row.put("postgres.db_size_mb", Double.NaN);
            row.put("postgres.events", Double.NaN);
        }
    }

    private double single(String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getDouble(1);
        }
    }

    /** A number field of {@code /proc/PID/status} ("Threads:", "VmRSS:"); NaN when the process is gone. */
    static double procStatus(Long pid, String field) {
        if (pid == null) {
            return Double.NaN;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid.toString(), "status"))) {
                if (line.startsWith(field)) {
                    return Double.parseDouble(line.substring(field.length()).replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // gone
        }
        return Double.NaN;
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
