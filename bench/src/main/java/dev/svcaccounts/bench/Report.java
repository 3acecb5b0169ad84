package dev.svcaccounts.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench report}: the one table of a run, from every {@code *.properties} in the results folder, with the
 * targets of issue 6 next to the figures they judge; after a soak, the soak's tables ({@link SoakReport}). Printed
 * and written to {@code --out}.
 */
final class Report {

    static final double COMMANDS_MIN_RATIO = 0.30;
    static final double COMMANDS_MAX_P99_RATIO = 10;
    static final double INTROSPECTION_MIN_RATIO = 0.25;
    static final double INTROSPECTION_MAX_P99_MS = 5;
    static final double REPLAY_MIN_RATE = 20_000;
    static final long REPLAY_MIN_EVENTS = 1_000_000;
    static final double REPLAY_MAX_SLOWDOWN = 0.20;
    static final double READ_YOUR_WRITE_MAX_P99_MS = 1000;
    static final double MAX_RSS_MB = 512;
    /** Deactivation with the seeded tokens: its p50 at most this many times the one before them. */
    static final double DEACTIVATION_MAX_SLOWDOWN = 2;

    private static final Map<String, String> KIND_NAMES = new LinkedHashMap<>();

    static {
        KIND_NAMES.put("create_account", "create service account");
        KIND_NAMES.put("issue_token", "issue token");
        KIND_NAMES.put("revoke_token", "revoke token");
        KIND_NAMES.put("assign_role", "assign / change project role");
        KIND_NAMES.put("delete_account", "delete service account");
        KIND_NAMES.put("read_account", "GET .../service-accounts/{id}");
        KIND_NAMES.put("read_access", "GET .../projects/{key}/access");
        KIND_NAMES.put("introspect", "POST /v1/introspect");
        KIND_NAMES.put("exchange", "POST /v1/token");
    }

    private static final Map<String, String> ROLE_NAMES = new LinkedHashMap<>();

    static {
        ROLE_NAMES.put("postgres", "postgres");
        ROLE_NAMES.put("command_side", "command side");
        ROLE_NAMES.put("query_side", "query side");
        ROLE_NAMES.put("load_generator", "load generator");
    }

    private final Results r;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Report(Results results) {
        this.r = results;
    }

    static void run(Options options) throws Exception {
        Results results = Results.readAll(options.path("results"));
        String text = results.has("soak.minutes") ? new SoakReport(results).render() : new Report(results).render();
        System.out.print(text);
        Path out = options.path("out");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, text, StandardCharsets.UTF_8);
    }

    String render() {
        rawRow("raw insert, event-store row (pgbench)", "insert");
        rawRow("raw primary-key select (pgbench)", "select");
        commands();
        introspection();
        exchanges();
        reads();
        readYourWrites();
        merkleLag();
        deactivation();
        replay();
        memory();
        cpu();
        return header() + table() + footer();
    }

    // ------------------------------------------------------------------ rows

    private void rawRow(String label, String name) {
        String p = "raw." + name;
        rows.add(new String[] {label, rate(r.number(p + ".rate"), "tx/s"), "1.00", ms(r.number(p + ".p50_ms")),
                ms(r.number(p + ".p95_ms")), ms(r.number(p + ".p99_ms")), cores(r.number("cpu.raw_" + name + ".other")),
                "(the ceiling)", ""});
        errors(p, label);
    }

    private void commands() {
        double rate = r.number("kind.commands.rate");
        double ratio = rate / r.number("raw.insert.rate");
        double p99 = r.number("kind.commands.p99_ms");
        double maxP99 = COMMANDS_MAX_P99_RATIO * r.number("raw.insert.p99_ms");
        rows.add(new String[] {"commands over HTTP, all kinds", rate(rate, "req/s"), ratio(ratio),
                ms(r.number("kind.commands.p50_ms")), ms(r.number("kind.commands.p95_ms")), ms(p99),
                cores(r.number("cpu.commands.other")),
                String.format(Locale.ROOT, ">= %.2f, p99 <= %.0fx raw = %s", COMMANDS_MIN_RATIO,
                        COMMANDS_MAX_P99_RATIO, ms(maxP99)),
                verdict(ratio >= COMMANDS_MIN_RATIO && p99 <= maxP99, ratio, p99, maxP99)});
        errors("kind.commands", "commands");
        kinds("commands");
        commandsAlone();
    }

    private static final Map<String, String> ALONE_NAMES = new LinkedHashMap<>();

    static {
        ALONE_NAMES.put("commands_accounts", "alone: create / delete account in turn");
        ALONE_NAMES.put("commands_tokens", "alone: issue / revoke token in turn");
        ALONE_NAMES.put("commands_roles", "alone: assign / change project role");
    }

    /**
     * Each kind (pair) of the mix alone, after the mix (issue 18): its rate and latencies, each kind's in it, and in
     * the CPU part its CPU per request of each process. Not judged: the mix is the figure the targets judge.
     */
    private void commandsAlone() {
        ALONE_NAMES.forEach((phase, label) -> {
            String p = "kind." + phase;
            if (!r.has(p + ".rate")) {
                return;
            }
            rows.add(new String[] {"  " + label, rate(r.number(p + ".rate"), "req/s"), "",
                    ms(r.number(p + ".p50_ms")), ms(r.number(p + ".p95_ms")), ms(r.number(p + ".p99_ms")),
                    cores(r.number("cpu." + phase + ".other")), "", ""});
            errors(p, "commands, " + label);
            List<String> measured = List.of(r.string("phase." + phase + ".kinds") == null ? new String[0]
                    : r.string("phase." + phase + ".kinds").split(","));
            for (Map.Entry<String, String> kind : KIND_NAMES.entrySet()) {
                String k = phase + "." + kind.getKey();
                if (measured.contains(k)) {
                    rows.add(new String[] {"    " + kind.getValue(), rate(r.number("kind." + k + ".rate"), "req/s"),
                            "", ms(r.number("kind." + k + ".p50_ms")), ms(r.number("kind." + k + ".p95_ms")),
                            ms(r.number("kind." + k + ".p99_ms")), "", "", ""});
                }
            }
        });
    }

    private void introspection() {
        double rate = r.number("kind.introspection.rate");
        double ratio = rate / r.number("raw.select.rate");
        double p99 = r.number("kind.introspection.p99_ms");
        rows.add(new String[] {"token introspection", rate(rate, "req/s"), ratio(ratio),
                ms(r.number("kind.introspection.p50_ms")), ms(r.number("kind.introspection.p95_ms")), ms(p99),
                cores(r.number("cpu.introspection.other")),
                String.format(Locale.ROOT, ">= %.2f, p99 <= %.0f ms", INTROSPECTION_MIN_RATIO,
                        INTROSPECTION_MAX_P99_MS),
                verdict(ratio >= INTROSPECTION_MIN_RATIO && p99 <= INTROSPECTION_MAX_P99_MS, ratio, p99)});
        errors("kind.introspection", "introspection");
    }

    /**
     * The token exchange phase (issue 16), when it ran: no target. The JWT signing, done by the load generator before
     * each request and not in its latency, on a line of its own; the CPU per exchange of each process in a note.
     */
    private void exchanges() {
        if (!r.has("kind.exchanges.rate")) {
            return;
        }
        double rate = r.number("kind.exchanges.rate");
        rows.add(new String[] {"token exchange", rate(rate, "req/s"), "", ms(r.number("kind.exchanges.p50_ms")),
                ms(r.number("kind.exchanges.p95_ms")), ms(r.number("kind.exchanges.p99_ms")),
                cores(r.number("cpu.exchanges.other")), "", ""});
        if (r.has("local.sign_jwt.count")) {
            rows.add(new String[] {"  signing the JWT (load generator, apart)",
                    String.format(Locale.ROOT, "%,.0f JWTs", r.number("local.sign_jwt.count")), "",
                    ms(r.number("local.sign_jwt.p50_ms")), ms(r.number("local.sign_jwt.p95_ms")),
                    ms(r.number("local.sign_jwt.p99_ms")), "", "", ""});
        }
        errors("kind.exchanges", "token exchange");
        StringBuilder perExchange = new StringBuilder();
        ROLE_NAMES.forEach((role, name) -> {
            if (r.has("cpu.exchanges." + role) && rate > 0) {
                perExchange.append(perExchange.length() == 0 ? "" : ", ").append(name).append(' ')
                        .append(ms(1000 * r.number("cpu.exchanges." + role) / rate));
            }
        });
        if (perExchange.length() > 0) {
            notes.add("Token exchange: CPU per exchange: " + perExchange + " (the load generator's includes signing"
                    + " the JWT).");
        }
        if (r.has("exchanges.accounts")) {
            notes.add(String.format(Locale.ROOT, "Token exchange: a federation rule on %.0f service accounts (%.0f"
                            + " per workspace), tokens living %.0f s: an account refuses past 1,000 working"
                            + " exchanged tokens, at about %,.0f exchanges/s spread evenly.",
                    r.number("exchanges.accounts"), r.number("exchanges.accounts_per_workspace"),
                    r.number("exchanges.lifetime_seconds"), r.number("exchanges.ceiling_rate")));
        }
    }

    private void reads() {
        double rate = r.number("kind.reads.rate");
        rows.add(new String[] {"query-side reads, all kinds", rate(rate, "req/s"),
                ratio(rate / r.number("raw.select.rate")), ms(r.number("kind.reads.p50_ms")),
                ms(r.number("kind.reads.p95_ms")), ms(r.number("kind.reads.p99_ms")),
                cores(r.number("cpu.reads.other")), "", ""});
        errors("kind.reads", "reads");
        kinds("reads");
    }

    private void kinds(String phase) {
        List<String> measured = List.of(r.string("phase." + phase + ".kinds") == null ? new String[0]
                : r.string("phase." + phase + ".kinds").split(","));
        for (Map.Entry<String, String> kind : KIND_NAMES.entrySet()) {
            if (measured.contains(kind.getKey())) {
                String p = "kind." + kind.getKey();
                rows.add(new String[] {"  " + kind.getValue(), rate(r.number(p + ".rate"), "req/s"), "",
                        ms(r.number(p + ".p50_ms")), ms(r.number(p + ".p95_ms")), ms(r.number(p + ".p99_ms")), "", "",
                        ""});
            }
        }
    }

    private void readYourWrites() {
        double p99 = r.number("rw.all.p99_ms");
        long samples = (long) r.number("rw.all.count");
        rows.add(new String[] {"read-your-write: response -> read model", samples + " samples", "",
                ms(r.number("rw.all.p50_ms")), ms(r.number("rw.all.p95_ms")), ms(p99),
                cores(r.number("cpu.commands.other")), "p99 < 1 s",
                samples == 0 ? "n/a" : pass(p99 < READ_YOUR_WRITE_MAX_P99_MS)});
        for (String kind : List.of("create_account", "assign_role")) {
            String p = "rw." + kind;
            if (r.has(p + ".count")) {
                String label = kind.equals("create_account") ? "  created -> GET .../service-accounts/{id}"
                        : "  role set -> GET .../projects/{key}/access";
                rows.add(new String[] {label, (long) r.number(p + ".count") + " samples", "",
                        ms(r.number(p + ".p50_ms")), ms(r.number(p + ".p95_ms")), ms(r.number(p + ".p99_ms")),
                        "", "", ""});
            }
        }
        if (r.number("rw.all.timeouts") > 0) {
            notes.add(String.format(Locale.ROOT,
                    "%.0f read-your-write samples never showed within 30 s (counted as 30 s).",
                    r.number("rw.all.timeouts")));
        }
    }

    /**
     * The two deactivation phases, before and after the seeded tokens. Judged on the p50 and on PostgreSQL's CPU per
     * deactivation, which does not depend on what else keeps the machine busy (the latency does).
     */
    private void deactivation() {
        double before = r.number("kind.deactivation_before_deactivate.p50_ms");
        double seeded = r.number("kind.deactivation_seeded_deactivate.p50_ms");
        double cpuBefore = postgresMsPerDeactivation("deactivation_before");
        double cpuSeeded = postgresMsPerDeactivation("deactivation_seeded");
        for (String phase : List.of("deactivation_before", "deactivation_seeded")) {
            String p = "kind." + phase + "_deactivate";
            double tokens = r.number(phase.endsWith("before") ? "deactivation.tokens_before"
                    : "deactivation.tokens_seeded");
            String label = String.format(Locale.ROOT, "deactivate service account, %s tokens",
                    Double.isNaN(tokens) ? "?" : String.format(Locale.ROOT, "%,.0f", tokens));
            boolean judged = phase.endsWith("seeded");
            rows.add(new String[] {label, rate(r.number(p + ".rate"), "req/s"), judged ? ratio(seeded / before) : "",
                    ms(r.number(p + ".p50_ms")), ms(r.number(p + ".p95_ms")), ms(r.number(p + ".p99_ms")),
                    cores(r.number("cpu." + phase + ".other")),
                    judged ? String.format(Locale.ROOT, "p50, postgres CPU <= %.0fx above", DEACTIVATION_MAX_SLOWDOWN)
                            : "",
                    judged ? verdict(seeded <= DEACTIVATION_MAX_SLOWDOWN * before
                            && cpuSeeded <= DEACTIVATION_MAX_SLOWDOWN * cpuBefore, before, seeded, cpuBefore, cpuSeeded)
                            : ""});
            errors(p, label);
        }
        if (!Double.isNaN(cpuBefore) && !Double.isNaN(cpuSeeded)) {
            notes.add(String.format(Locale.ROOT, "Deactivation: PostgreSQL's CPU per deactivation (with the"
                    + " reactivation that follows it) %s before the tokens were added, %s after.",
                    ms(cpuBefore), ms(cpuSeeded)));
        }
    }

    private double postgresMsPerDeactivation(String phase) {
        return 1000 * r.number("cpu." + phase + ".postgres") / r.number("kind." + phase + "_deactivate.rate");
    }

    private void replay() {
        double events = r.number("replay.events");
        double rate = r.number("replay.rate");
        boolean complete = "true".equals(r.string("replay.complete"));
        String label = Double.isNaN(events) ? "audit replay"
                : String.format(Locale.ROOT, "audit replay (%,.0f events)", events);
        String verdict;
        if (!r.has("replay.complete")) {
            verdict = "n/a"; // not run (bench/run.sh --only)
        } else if (!complete) {
            verdict = "FAIL";
            notes.add(String.format(Locale.ROOT, "The replay did not finish in time: %.0f%% done.",
                    100 * r.number("replay.done")));
        } else if (events < REPLAY_MIN_EVENTS) {
            verdict = "n/a (< 1M)";
        } else {
            verdict = pass(rate >= REPLAY_MIN_RATE);
        }
        rows.add(new String[] {label, rate(rate, "ev/s"), "", "", "", "", cores(r.number("cpu.replay.other")),
                String.format(Locale.ROOT, ">= %,.0f ev/s, >= 1M events", REPLAY_MIN_RATE), verdict});
        double first = r.number("replay.first_tenth_rate");
        double last = r.number("replay.last_tenth_rate");
        rows.add(new String[] {"  first tenth of the events", rate(first, "ev/s"), "", "", "", "", "", "", ""});
        rows.add(new String[] {"  last tenth of the events", rate(last, "ev/s"), ratio(last / first), "", "", "", "",
                ">= 0.80 (to the first tenth)",
                Double.isNaN(last) ? "n/a" : pass(last >= (1 - REPLAY_MAX_SLOWDOWN) * first)});
        if (r.has("replay.copies")) {
            notes.add(String.format(Locale.ROOT, "Replay: the %,.0f events the run wrote, copied %.0f times into"
                            + " workspaces of their own (%.0f s with VACUUM ANALYZE).",
                    r.number("replay.source_events"), r.number("replay.copies"), r.number("replay.copy_seconds")));
        }
        if (r.has("replay.log_wait_seconds")) {
            notes.add(String.format(Locale.ROOT, "Replay: requested once the Merkle log had taken in every event"
                    + " (%.1f s after the query side's start), so that its intake is not measured.",
                    r.number("replay.log_wait_seconds")));
        }
        if (r.has("replay.startup_seconds")) {
            notes.add(String.format(Locale.ROOT, "Replay: the first audit entry came"
                            + " %.1f s after the replay request; the replay's clock starts there.",
                    r.number("replay.startup_seconds")));
        }
    }

    private void memory() {
        for (Map.Entry<String, String> role : ROLE_NAMES.entrySet()) {
            if (role.getKey().equals("postgres")) {
                continue; // its processes share one buffer cache: their resident sizes do not add up
            }
            double max = Double.NaN;
            for (String key : r.keysStartingWith("rss.")) {
                if (key.endsWith("." + role.getKey() + "_mb") && !key.startsWith("rss.raw_")) {
                    max = Double.isNaN(max) ? r.number(key) : Math.max(max, r.number(key));
                }
            }
            boolean judged = !role.getKey().equals("load_generator");
            rows.add(new String[] {"memory (max RSS), " + role.getValue(),
                    Double.isNaN(max) ? "-" : String.format(Locale.ROOT, "%.0f MB", max), "", "", "", "", "",
                    judged ? "< 512 MB" : "", judged ? (Double.isNaN(max) ? "n/a" : pass(max < MAX_RSS_MB)) : ""});
        }
    }

    private void cpu() {
        for (String phase : List.of("raw_insert", "raw_select", "introspection", "exchanges", "reads", "commands",
                "commands_accounts", "commands_tokens", "commands_roles", "deactivation_before", "deactivation_seeded",
                "replay")) {
            String p = "cpu." + phase;
            if (!r.has(p + ".machine")) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            ROLE_NAMES.forEach((role, name) -> {
                if (r.has(p + "." + role)) {
                    text.append(name).append(' ').append(cores(r.number(p + "." + role))).append(", ");
                }
            });
            text.append(String.format(Locale.ROOT, "other processes %s; machine %s of %.0f cores busy",
                    cores(r.number(p + ".other")), cores(r.number(p + ".machine")), r.number(p + ".cpus")));
            rows.add(new String[] {"CPU, " + phase.replace('_', ' ') + " phase", text.toString()});
            perRequest(phase);
        }
    }

    /**
     * A phase's CPU per request of each process (per event for the replay): what two machines can be compared by,
     * where rates differ with the machine's speed (issue 18).
     */
    private void perRequest(String phase) {
        double rate = phaseRate(phase);
        if (!(rate > 0)) {
            return;
        }
        StringBuilder text = new StringBuilder();
        ROLE_NAMES.forEach((role, name) -> {
            String key = "cpu." + phase + "." + role;
            if (r.has(key)) {
                text.append(text.isEmpty() ? "" : ", ").append(name).append(' ')
                        .append(String.format(Locale.ROOT, "%.3f ms", 1000 * r.number(key) / rate));
            }
        });
        if (!text.isEmpty()) {
            rows.add(new String[] {"  CPU per " + ("replay".equals(phase) ? "event" : "request"), text.toString()});
        }
        StringBuilder jit = new StringBuilder();
        ROLE_NAMES.forEach((role, name) -> {
            String key = "cpu." + phase + "." + role + ProcessSampler.JIT;
            if (r.has(key)) {
                jit.append(jit.isEmpty() ? "" : ", ").append(name).append(' ')
                        .append(String.format(Locale.ROOT, "%.3f ms", 1000 * r.number(key) / rate));
            }
        });
        if (!jit.isEmpty()) {
            rows.add(new String[] {"    of which JIT compiler", jit.toString()});
        }
    }

    private double phaseRate(String phase) {
        return switch (phase) {
            case "raw_insert" -> r.number("raw.insert.rate");
            case "raw_select" -> r.number("raw.select.rate");
            case "replay" -> r.number("replay.rate");
            case "deactivation_before", "deactivation_seeded" -> r.number("kind." + phase + "_deactivate.rate");
            default -> r.number("kind." + phase + ".rate");
        };
    }

    private void errors(String prefix, String what) {
        double errors = r.number(prefix + ".errors");
        if (errors > 0) {
            notes.add(String.format(Locale.ROOT, "%s: %.0f requests failed or answered unexpectedly (not counted"
                    + " above; the first ones are in the load generator's log).", what, errors));
        }
    }

    // ------------------------------------------------------------------ layout

    /** How far the Merkle log trailed the store during the HTTP load (issue 17), when bench/run.sh sampled it. */
    private void merkleLag() {
        if (!r.has("merkle_lag.samples")) {
            return;
        }
        notes.add(String.format(Locale.ROOT, "Merkle log during the HTTP load (%.0f samples, every 200 ms): behind "
                + "the store's head by p50 %.0f / p99 %.0f / max %.0f events; the oldest event not in it was p50 %s / "
                + "p99 %s / max %s old", r.number("merkle_lag.samples"), r.number("merkle_lag.events_p50"),
                r.number("merkle_lag.events_p99"), r.number("merkle_lag.events_max"),
                ms(r.number("merkle_lag.age_p50_ms")), ms(r.number("merkle_lag.age_p99_ms")),
                ms(r.number("merkle_lag.age_max_ms"))));
    }

    private String header() {
        StringBuilder h = new StringBuilder();
        h.append(String.format(Locale.ROOT, "Benchmark of %s, commit %s, %s run: %s s per phase, %s clients%s%n",
                value("context.date"), value("context.commit"), value("context.mode"), value("context.duration"),
                value("context.clients"), "true".equals(r.string("context.scoped_tokens"))
                        ? ", introspection of scoped tokens" : ""));
        h.append(String.format(Locale.ROOT, "Machine: %s, %s cores, load average %s at the start and %s at the end"
                        + " (other processes' CPU is in the table)%n", value("context.cpu_model"),
                value("context.cpus"), value("context.loadavg_start"), value("context.loadavg_end")));
        h.append(String.format(Locale.ROOT, "Java: %s; the JVM's own choices here: %s%n", value("context.java"),
                value("context.jvm_defaults")));
        h.append(String.format(Locale.ROOT, "PostgreSQL %s (synchronous_commit=%s, fsync=%s), %s; both sides"
                        + " as built, JVM options %s%n%n", value("context.server_version"),
                value("context.synchronous_commit"), value("context.fsync"), value("context.pgbench_version"),
                value("context.java_opts")));
        return h.toString();
    }

    private String value(String key) {
        String v = r.string(key);
        return v == null ? "?" : v;
    }

    private String table() {
        String[] head = {"figure", "value", "ratio", "p50", "p95", "p99", "other CPU", "target", "result"};
        int[] width = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            width[i] = head[i].length();
        }
        for (String[] row : rows) {
            if (row.length == head.length) {
                for (int i = 0; i < row.length; i++) {
                    width[i] = Math.max(width[i], row[i].length());
                }
            }
        }
        StringBuilder t = new StringBuilder();
        line(t, head, width);
        String[] rule = new String[head.length];
        for (int i = 0; i < head.length; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        line(t, rule, width);
        boolean cpuStarted = false;
        for (String[] row : rows) {
            if (row.length == head.length) {
                line(t, row, width);
            } else {
                if (!cpuStarted) {
                    line(t, rule, width);
                    cpuStarted = true;
                }
                t.append(pad(row[0], width[0])).append("  ").append(row[1]).append('\n');
            }
        }
        return t.toString();
    }

    private static void line(StringBuilder t, String[] cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            boolean number = i >= 1 && i <= 6;
            l.append(number ? padLeft(cells[i], width[i]) : pad(cells[i], width[i])).append("  ");
        }
        t.append(l.toString().stripTrailing()).append('\n');
    }

    private String footer() {
        StringBuilder f = new StringBuilder("\n");
        f.append("ratio: throughput over pgbench's in this run (commands: raw insert; introspection, reads: raw"
                + " select); last tenth: over the first tenth; deactivation: p50 over the one before the tokens were"
                + " added.\n"
                + "Latencies: request sent to answer received. CPU in cores, averaged over the phase's measured window;"
                + " other CPU: all other processes on the machine.\n"
                + "Load generator: pgbench (and its sampler) in the raw phases, the bench load process over HTTP,"
                + " the progress poller in the replay.\n"
                + "Read-your-write: a sample of the commands (at most 2 at a time), the query side polled every 10 ms."
                + " Memory: highest VmRSS while under load.\n");
        for (String note : notes) {
            f.append("Note: ").append(note).append('\n');
        }
        return f.toString();
    }

    // ------------------------------------------------------------------ formats

    static String rate(double value, String unit) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, value >= 100 ? "%,.0f %s" : "%.1f %s", value, unit);
    }

    static String ms(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, value < 10 ? "%.2f ms" : value < 100 ? "%.1f ms" : "%,.0f ms", value);
    }

    static String ratio(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    static String cores(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String verdict(boolean ok, double... figures) {
        for (double f : figures) {
            if (Double.isNaN(f)) {
                return "n/a";
            }
        }
        return pass(ok);
    }

    private static String pass(boolean ok) {
        return ok ? "PASS" : "FAIL";
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String padLeft(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }
}
