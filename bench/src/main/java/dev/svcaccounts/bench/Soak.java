package dev.svcaccounts.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bench soak}: a long run of mixed load at half the system's capacity, watching whether anything grows
 * (issue 12: heap, resident memory, threads, connections, read-model lag). In this order:
 * <ol>
 *   <li>makes the workspaces: {@code 2 x --clients} for the command mix, one that only the introspection and the
 *       reads touch (its tokens stay valid, its accounts stay put), and one per client for deactivations;</li>
 *   <li>measures the capacity of the mix: {@code --clients} closed-loop clients, {@code --warmup} s, then
 *       {@code --capacity-seconds} s measured; the target is half of it, or {@code --rate} when given;</li>
 *   <li>drives the mix open-loop at the target for {@code --minutes}: each of the {@code --clients} workers sends
 *       on a fixed schedule (the target over the workers), whatever the answers take, and a request's latency is
 *       counted from its scheduled time;</li>
 *   <li>every minute, a line per process on stderr, one row in {@code --tsv} and in {@code --out}
 *       ({@code soak.m<NNN>.*}): the minute's rate, unexpected answers, p50/p99, and each side's heap, memory,
 *       threads, connections, CPU, the query side's lag, PostgreSQL's sessions and size ({@link SoakGauges}).</li>
 * </ol>
 * The mix per request: {@value #INTROSPECT}% introspection, {@value #READ}% query-side reads, {@value #DEACTIVATE}%
 * deactivation or reactivation of the worker's own account, the rest the {@link CommandMix} (create, delete, issue,
 * revoke, assign). The operator credential comes from the environment variable {@code BENCH_OPERATOR_TOKEN}.
 */
final class Soak {

    static final int INTROSPECT = 40;
    static final int READ = 30;
    static final int DEACTIVATE = 5;
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private Soak() {
    }

    /** One worker's own state, kept from the capacity phase to the soak. */
    private static final class Worker {
        final List<Workspaces.Workspace> owned = new ArrayList<>();
        String deactivationAdmin;
        String deactivationAccount;
        boolean active = true;
    }

    /** Records into the current minute, the latency from when the request was scheduled. */
    private static final class MinuteRecorder extends Phase.Recorder {
        private final AtomicReference<SoakMinute> minute;
        long scheduledNanos;

        MinuteRecorder(Phase.Window window, AtomicReference<SoakMinute> minute) {
            super(window);
            this.minute = minute;
        }

        @Override
        void record(String kind, Http.Reply reply, boolean ok) {
            minute.get().record(kind, reply, ok, reply.receivedNanos() - scheduledNanos);
            if (!ok) {
                Phase.ErrorLog.note(kind, reply);
                if (reply.status() == 0) {
                    Phase.pause();
                }
            }
        }
    }

    static void run(Options options) throws Exception {
        Http http = new Http(options.string("command-url"), options.string("query-url"));
        String operator = Options.secret("BENCH_OPERATOR_TOKEN");
        int clients = options.integer("clients", 8);
        int minutes = options.integer("minutes", 30);
        double givenRate = Double.parseDouble(options.string("rate", "0"));
        long ticks = options.integer("clock-ticks", 100);
        Map<String, Long> watched = new LinkedHashMap<>(options.watched());
        watched.put("load_generator", ProcessHandle.current().pid());
        Path out = options.path("out");
        Path tsv = options.path("tsv");

        System.err.printf("[soak] making %d workspaces with %d projects and %d service accounts each%n",
                clients * 2 + 1, Workspaces.PROJECTS, Workspaces.ACCOUNTS);
        Workspaces workspaces = Workspaces.create(http, operator, clients * 2 + 1, clients);
        Workspaces.Workspace fixed = workspaces.all.get(clients * 2);
        List<Workspaces.KnownToken> tokens = workspaces.tokens.stream()
                .filter(t -> t.workspaceId().equals(fixed.id)).toList();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Worker w = new Worker();
            w.owned.add(workspaces.all.get(i));
            w.owned.add(workspaces.all.get(clients + i));
            String ws = "soak-deactivation-" + (i + 1);
            w.deactivationAdmin = Workspaces.expect(http.command("POST", "/v1/workspaces", operator,
                    Map.of("id", ws, "name", "Soak " + ws, "admin", Map.of("username", "alice"))), 201)
                    .json().path("token").path("secret").asText();
            w.deactivationAccount = "/v1/workspaces/" + ws + "/service-accounts/" + Workspaces.expect(http.command(
                    "POST", "/v1/workspaces/" + ws + "/service-accounts", w.deactivationAdmin,
                    Map.of("name", "rotating")), 201).json().path("id").asText();
            workers.add(w);
        }

        Results results = new Results();
        results.put("soak.clients", clients);
        // measured even with --rate: it is also the JVMs' warm-up, which the soak's first minute would hold otherwise
        int warmup = options.integer("warmup", 10);
        int seconds = options.integer("capacity-seconds", 30);
        ReadYourWrites none = new ReadYourWrites(new Phase.Window(0, 0, 0));
        Phase.run("capacity", Phase.Window.startingSoon(Duration.ofSeconds(warmup), Duration.ofSeconds(seconds)),
                clients, i -> mix(http, tokens, fixed, workers.get(i), none, 5000 + i), watched, ticks, results);
        double capacity = results.number("kind.capacity.rate");
        results.put("soak.capacity_rps", capacity);
        System.err.printf(Locale.ROOT, "[soak] capacity of the mix: %.1f requests/s (%s unexpected answers)%n",
                capacity, (long) results.number("kind.capacity.errors"));
        double target = givenRate > 0 ? givenRate : capacity / 2;
        if (givenRate > 0) {
            results.put("soak.rate_given", "true");
        }
        results.put("soak.target_rps", target);
        results.put("soak.minutes", 0);
        results.write(out);

        // ------------------------------------------------------------------ the soak
        long start = System.nanoTime() + 1_000_000_000L;
        long end = start + minutes * MINUTE_NANOS;
        Phase.Window window = new Phase.Window(start, start, end);
        AtomicReference<SoakMinute> minute = new AtomicReference<>(new SoakMinute());
        ReadYourWrites readYourWrites = new ReadYourWrites(window, nanos -> minute.get().readYourWrite(nanos));
        long interval = Math.round(clients * 1e9 / target); // each worker's time between two requests
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Phase.Client client = mix(http, tokens, fixed, workers.get(i), readYourWrites, 6000 + i);
            MinuteRecorder recorder = new MinuteRecorder(window, minute);
            long first = start + i * interval / clients;
            Thread thread = new Thread(() -> {
                for (long k = 0; ; k++) {
                    long scheduled = first + k * interval;
                    if (scheduled >= end) {
                        return;
                    }
                    Phase.sleepUntil(scheduled);
                    recorder.scheduledNanos = scheduled;
                    client.step(recorder);
                }
            }, "soak-worker-" + i);
            threads.add(thread);
        }
        System.err.printf(Locale.ROOT, "[soak] %d minutes at %.1f requests/s, %d workers open-loop (one request"
                + " every %.0f ms each)%n", minutes, target, clients, interval / 1e6);
        threads.forEach(Thread::start);

        Map<String, String> sides = new LinkedHashMap<>();
        sides.put("command_side", options.string("command-url"));
        sides.put("query_side", options.string("query-url"));
        List<String> columns = null;
        Map<String, Long> unexpected = new TreeMap<>();
        String jdbcUrl = options.string("jdbc-url");
        try (SoakGauges gauges = new SoakGauges(sides, watched, jdbcUrl, options.string("db-user"))) {
            Phase.sleepUntil(start);
            ProcessSampler sampler = new ProcessSampler(watched, ticks).start();
            for (int m = 1; m <= minutes; m++) {
                long minuteEnd = start + m * MINUTE_NANOS;
                Phase.sleepUntil(minuteEnd);
                SoakMinute done = minute.getAndSet(new SoakMinute());
                ProcessSampler.Usage usage = sampler.stop();
                sampler = new ProcessSampler(watched, ticks).start();
                Map<String, Double> row = new LinkedHashMap<>();
                row.put("load.target_rps", target);
                done.writeTo(row, MINUTE_NANOS / 1e9);
                gauges.writeTo(row);
                for (String role : List.of("command_side", "query_side", "postgres", "load_generator")) {
                    row.put(role + ".cpu", usage.coresByRole().getOrDefault(role, Double.NaN));
                    Long kb = usage.maxRssKbByRole().get(role);
                    if (!role.equals("postgres") && !role.equals("load_generator")) {
                        row.put(role + ".rss_mb", kb == null ? Double.NaN : kb / 1024.0);
                    }
                }
                row.put("machine.cpu", usage.machineCores());
                done.unexpected().forEach((k, n) -> unexpected.merge(k, n, Long::sum));
                String prefix = String.format(Locale.ROOT, "soak.m%03d.", m);
                row.forEach((key, value) -> results.put(prefix + key, value));
                results.put("soak.minutes", m);
                unexpected.forEach((k, n) -> results.put("soak.unexpected." + k.replace(' ', '.'), n));
                results.write(out);
                if (columns == null) {
                    columns = new ArrayList<>(row.keySet());
                    write(tsv, "minute\t" + String.join("\t", columns) + "\n", false);
                }
                StringBuilder line = new StringBuilder().append(m);
                for (String c : columns) {
                    line.append('\t').append(format(row.getOrDefault(c, Double.NaN)));
                }
                write(tsv, line.append('\n').toString(), true);
                System.err.println(SoakReport.minuteLines(m, minutes, row));
            }
            sampler.stop();
        }
        for (Thread thread : threads) {
            thread.join(35_000);
        }
        readYourWrites.finish(results);
        results.write(out);
        System.err.println("[soak] done");
    }

    /** One worker's client: each step one request of the mix. */
    private static Phase.Client mix(Http http, List<Workspaces.KnownToken> tokens, Workspaces.Workspace fixed,
                                    Worker worker, ReadYourWrites readYourWrites, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        CommandMix commands = new CommandMix(http, worker.owned, readYourWrites, seed);
        String operator = Options.secret("BENCH_OPERATOR_TOKEN");
        return recorder -> {
            int dice = random.nextInt(100);
            if (dice < INTROSPECT) {
                Workspaces.KnownToken token = tokens.get(random.nextInt(tokens.size()));
                Http.Reply reply = http.introspect(operator, token.secret());
                recorder.record("introspect", reply, reply.status() == 200
                        && reply.body().contains("\"active\":true"));
            } else if (dice < INTROSPECT + READ) {
                if (random.nextBoolean()) {
                    Workspaces.Account account = fixed.accounts.get(random.nextInt(fixed.accounts.size()));
                    Http.Reply reply = http.query("GET", fixed.path() + "/service-accounts/" + account.id,
                            fixed.adminToken);
                    recorder.record("read_account", reply, reply.status() == 200);
                } else {
                    String project = fixed.projects.get(random.nextInt(fixed.projects.size()));
                    Http.Reply reply = http.query("GET", fixed.path() + "/projects/" + project + "/access",
                            fixed.adminToken);
                    recorder.record("read_access", reply, reply.status() == 200);
                }
            } else if (dice < INTROSPECT + READ + DEACTIVATE) {
                String action = worker.active ? "deactivate" : "reactivate";
                Http.Reply reply = http.command("POST", worker.deactivationAccount + "/" + action,
                        worker.deactivationAdmin, worker.active ? Map.of("reason", "soak") : null);
                boolean ok = reply.status() == 200;
                recorder.record(action, reply, ok);
                if (ok) {
                    worker.active = !worker.active;
                }
            } else {
                commands.step(recorder);
            }
        };
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static void write(Path file, String text, boolean append) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    }
}
