package dev.svcaccounts.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a soak ({@link Soak}): one table a minute per process, then each series' trend in figures
 * ({@link SeriesTrend}: first minutes against last minutes, slope per hour). No verdict: whether a series is flat,
 * or why it is not, is for docs/performance.md.
 */
final class SoakReport {

    /** A column: its heading, the row key (after {@code soak.mNNN.}), its format. */
    record Column(String heading, String key, String format) {
    }

    static final List<Column> LOAD = List.of(
            new Column("req/s", "load.rps", "%.1f"), new Column("target", "load.target_rps", "%.1f"),
            new Column("errors", "load.errors", "%.0f"), new Column("p50 ms", "load.p50_ms", "%.2f"),
            new Column("p99 ms", "load.p99_ms", "%.1f"), new Column("max ms", "load.max_ms", "%.0f"),
            new Column("r-y-w p99 ms", "load.rw_p99_ms", "%.0f"), new Column("machine CPU", "machine.cpu", "%.2f"),
            new Column("load gen CPU", "load_generator.cpu", "%.2f"));

    static List<Column> side(String role) {
        List<Column> columns = new ArrayList<>(List.of(
                new Column("heap used MB", role + ".heap_used_mb", "%.0f"),
                new Column("committed MB", role + ".heap_committed_mb", "%.0f"),
                new Column("old gen after GC MB", role + ".old_after_gc_mb", "%.1f"),
                new Column("live after old GC MB", role + ".live_after_old_gc_mb", "%.1f"),
                new Column("full GCs", role + ".full_gcs", "%.0f"),
                new Column("RSS MB", role + ".rss_mb", "%.0f"),
                new Column("JVM threads", role + ".jvm_threads", "%.0f"),
                new Column("OS threads", role + ".os_threads", "%.0f"),
                new Column("pool conns", role + ".pool_connections", "%.0f"),
                new Column("active", role + ".pool_active", "%.0f"),
                new Column("open files", role + ".open_files", "%.0f"),
                new Column("CPU", role + ".cpu", "%.2f")));
        if (role.equals("query_side")) {
            columns.add(new Column("lag events", role + ".lag_events", "%.0f"));
        }
        return columns;
    }

    static final List<Column> POSTGRES = List.of(
            new Column("sessions", "postgres.sessions", "%.0f"), new Column("size MB", "postgres.db_size_mb", "%.1f"),
            new Column("events", "postgres.events", "%.0f"), new Column("CPU", "postgres.cpu", "%.2f"));

    private final Results r;
    private final int minutes;

    SoakReport(Results results) {
        this.r = results;
        this.minutes = (int) results.number("soak.minutes");
    }

    /** The lines of a minute on stderr while the soak runs: the load's, then one per process. */
    static String minuteLines(int minute, int of, Map<String, Double> row) {
        String at = String.format(Locale.ROOT, "[soak] minute %d/%d ", minute, of);
        StringBuilder lines = new StringBuilder(at).append(String.format(Locale.ROOT,
                "load: %.1f req/s (target %.1f), %.0f errors, p50 %.2f ms, p99 %.1f ms, read-your-write p99 %.0f ms",
                row.get("load.rps"), row.get("load.target_rps"), row.get("load.errors"), row.get("load.p50_ms"),
                row.get("load.p99_ms"), row.get("load.rw_p99_ms")));
        for (String role : List.of("command_side", "query_side")) {
            lines.append('\n').append(at).append(String.format(Locale.ROOT, "%s: heap %.0f MB used of %.0f, old gen"
                            + " after GC %.1f MB, RSS %.0f MB, %.0f JVM threads, %.0f pool connections (%.0f active),"
                            + " %.0f open files, CPU %.2f",
                    role.replace('_', ' '), row.get(role + ".heap_used_mb"), row.get(role + ".heap_committed_mb"),
                    row.get(role + ".old_after_gc_mb"), row.get(role + ".rss_mb"), row.get(role + ".jvm_threads"),
                    row.get(role + ".pool_connections"), row.get(role + ".pool_active"),
                    row.get(role + ".open_files"), row.get(role + ".cpu")));
            if (role.equals("query_side")) {
                lines.append(String.format(Locale.ROOT, ", lag %.0f events", row.get("query_side.lag_events")));
            }
        }
        lines.append('\n').append(at).append(String.format(Locale.ROOT, "postgres: %.0f sessions, %.1f MB,"
                        + " %.0f events, CPU %.2f", row.get("postgres.sessions"), row.get("postgres.db_size_mb"),
                row.get("postgres.events"), row.get("postgres.cpu")));
        return lines.toString();
    }

    String render() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Soak of %s, commit %s: %d minute(s) of mixed load at %.1f requests/s,"
                        + " %.0f workers open-loop%n", value("context.date"), value("context.commit"), minutes,
                r.number("soak.target_rps"), r.number("soak.clients")));
        t.append(String.format(Locale.ROOT, "Target: %s; the mix's capacity %.1f requests/s with %.0f closed-loop"
                        + " clients (p50 %s, p99 %s, %.0f unexpected answers)%n",
                r.has("soak.rate_given") ? "given with --soak-rate" : "half the capacity",
                r.number("soak.capacity_rps"), r.number("soak.clients"), Report.ms(r.number("kind.capacity.p50_ms")),
                Report.ms(r.number("kind.capacity.p99_ms")), r.number("kind.capacity.errors")));
        t.append(String.format(Locale.ROOT, "Machine: %s cores, load average %s at the start and %s at the end;"
                + " %s%n", value("context.cpus"), value("context.loadavg_start"), value("context.loadavg_end"),
                value("context.java_opts")));
        t.append("Mix: ").append(Soak.INTROSPECT).append("% introspection, ").append(Soak.READ)
                .append("% query-side reads, ").append(Soak.DEACTIVATE).append("% deactivate/reactivate, the rest the")
                .append(" command mix (create/delete account, issue/revoke token, assign role).\n");
        t.append("Latency from the scheduled send time; errors: answers other than the expected one (any status);"
                + " r-y-w: command response -> visible on the query side.\n");
        t.append("Memory and threads at the minute's end (RSS: highest of the minute); CPU in cores, averaged over"
                + " the minute.\nOld gen after GC: after the last collection of any kind (a young one leaves the old"
                + " generation's garbage there);\nlive after old GC: after the last collection of the old generation,"
                + " full or (G1) concurrent (\"-\": none yet); full GCs: since the start.\n\n");
        table(t, "Load", LOAD);
        table(t, "Command side", side("command_side"));
        table(t, "Query side", side("query_side"));
        table(t, "PostgreSQL (sessions: client sessions of both sides; events: the store's highest position)",
                POSTGRES);
        trends(t);
        List<String> unexpected = r.keysStartingWith("soak.unexpected.");
        if (unexpected.isEmpty()) {
            t.append("\nUnexpected answers during the soak: none\n");
        } else {
            t.append("\nUnexpected answers during the soak (kind, status: count; 0 = no answer; the first ones are in"
                    + " the log):\n");
            for (String key : unexpected) {
                String kindStatus = key.substring("soak.unexpected.".length());
                int dot = kindStatus.lastIndexOf('.');
                t.append(String.format(Locale.ROOT, "  %s %s: %.0f%n", kindStatus.substring(0, dot),
                        kindStatus.substring(dot + 1), r.number(key)));
            }
        }
        if (r.has("rw.all.count")) {
            t.append(String.format(Locale.ROOT, "Read-your-write over the whole soak: %.0f samples, p50 %s, p99 %s,"
                            + " %.0f never visible within 30 s%n", r.number("rw.all.count"),
                    Report.ms(r.number("rw.all.p50_ms")), Report.ms(r.number("rw.all.p99_ms")),
                    r.number("rw.all.timeouts")));
        }
        return t.toString();
    }

    private void table(StringBuilder t, String title, List<Column> columns) {
        List<String[]> rows = new ArrayList<>();
        String[] head = new String[columns.size() + 1];
        head[0] = "minute";
        for (int c = 0; c < columns.size(); c++) {
            head[c + 1] = columns.get(c).heading();
        }
        rows.add(head);
        for (int m = 1; m <= minutes; m++) {
            String[] row = new String[columns.size() + 1];
            row[0] = Integer.toString(m);
            for (int c = 0; c < columns.size(); c++) {
                double v = value(m, columns.get(c).key());
                row[c + 1] = Double.isNaN(v) ? "-" : String.format(Locale.ROOT, columns.get(c).format(), v);
            }
            rows.add(row);
        }
        t.append(title).append('\n');
        layout(t, rows);
        t.append('\n');
    }

    private void trends(StringBuilder t) {
        List<String[]> rows = new ArrayList<>();
        int window = SeriesTrend.of(series("load.rps")).window();
        rows.add(new String[] {"series", "first " + window + " min", "last " + window + " min", "change", "change %",
                "slope per hour", "min", "max"});
        List<Column> all = new ArrayList<>();
        LOAD.stream().filter(c -> !c.key().equals("load.target_rps")).forEach(all::add);
        for (String role : List.of("command_side", "query_side")) {
            side(role).forEach(c -> all.add(new Column(role.replace('_', ' ') + ": " + c.heading(), c.key(),
                    c.format())));
        }
        POSTGRES.forEach(c -> all.add(new Column("postgres: " + c.heading(), c.key(), c.format())));
        for (Column c : all) {
            SeriesTrend trend = SeriesTrend.of(series(c.key()));
            String f = c.format();
            rows.add(new String[] {c.heading(), fmt(f, trend.first()), fmt(f, trend.last()), fmt(f, trend.change()),
                    fmt("%+.1f", trend.changePercent()), fmt(f, trend.slopePerHour()), fmt(f, trend.min()),
                    fmt(f, trend.max())});
        }
        t.append("Trend of each series (least-squares slope over every minute; no threshold: read the figures)\n");
        layout(t, rows);
    }

    List<Double> series(String key) {
        List<Double> values = new ArrayList<>();
        for (int m = 1; m <= minutes; m++) {
            values.add(value(m, key));
        }
        return values;
    }

    private double value(int minute, String key) {
        return r.number(String.format(Locale.ROOT, "soak.m%03d.%s", minute, key));
    }

    private String value(String key) {
        String v = r.string(key);
        return v == null ? "?" : v;
    }

    private static String fmt(String format, double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static void layout(StringBuilder t, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = row[i];
                String pad = " ".repeat(width[i] - cell.length());
                l.append(i == 0 ? cell + pad : pad + cell).append("  ");
            }
            t.append(l.toString().stripTrailing()).append('\n');
        }
    }
}
