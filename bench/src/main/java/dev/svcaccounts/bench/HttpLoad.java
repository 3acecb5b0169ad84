package dev.svcaccounts.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code bench load}: the HTTP load generator, a process of its own. Makes the workspaces, then runs these
 * phases of {@code --clients} closed-loop clients each, in this order (the later ones change what the earlier
 * ones read):
 * <ol>
 *   <li>{@code introspection}: {@code POST /v1/introspect} as the operator, about the fixture accounts' tokens;</li>
 *   <li>{@code reads}: {@code GET .../service-accounts/{id}} and {@code GET .../projects/{key}/access} as the
 *       workspace admin, half each;</li>
 *   <li>{@code commands}: the {@link CommandMix}, with {@link ReadYourWrites} probes on a sample; then each of its
 *       kinds alone ({@link CommandMix.Focus}) for {@code --kind-duration} seconds (default half of
 *       {@code --duration}, at least 5) after a 3 s warm-up, as phases of their own, {@code commands_accounts},
 *       {@code commands_tokens}, {@code commands_roles}: their CPU per request is each kind's;</li>
 *   <li>{@code exchanges} (issue 16; not in the default list): {@code POST /v1/token}, each request with a freshly
 *       signed JWT, after a setup of keys and federation rules ({@link Exchanges}).</li>
 * </ol>
 * {@code --phases} names the ones to run (default the first three), say {@code commands} alone for a long run that
 * watches the command side's memory. {@code --scoped-tokens true} has introspection ask about scoped tokens
 * ({@link Workspaces}). The operator credential comes from the environment variable
 * {@code BENCH_OPERATOR_TOKEN}.
 */
final class HttpLoad {

    /** The warm-up of each kind's sub-phase: the JVMs are warm from the mix, this only lets the load settle. */
    static final Duration KIND_WARMUP = Duration.ofSeconds(3);

    private HttpLoad() {
    }

    static void run(Options options) throws Exception {
        Http http = new Http(options.string("command-url"), options.string("query-url"));
        String operator = Options.secret("BENCH_OPERATOR_TOKEN");
        int clients = options.integer("clients", 8);
        int workspaceCount = options.integer("workspaces", clients * 2);
        if (workspaceCount < clients) {
            throw new IllegalArgumentException("--workspaces must be at least --clients: each client owns its own");
        }
        Duration warmup = Duration.ofSeconds(options.integer("warmup", 10));
        Duration duration = Duration.ofSeconds(options.integer("duration", 60));
        Duration kindDuration = Duration.ofSeconds(options.integer("kind-duration",
                Math.max(5, (int) duration.toSeconds() / 2)));
        long ticks = options.integer("clock-ticks", 100);
        Map<String, Long> watched = new LinkedHashMap<>(options.watched());
        watched.put("load_generator", ProcessHandle.current().pid());
        Path out = options.path("out");
        List<String> phases = List.of(options.string("phases", "introspection,reads,commands").split(","));

        System.err.printf("[bench] making %d workspaces with %d projects and %d service accounts each%n",
                workspaceCount, Workspaces.PROJECTS, Workspaces.ACCOUNTS);
        boolean scoped = Boolean.parseBoolean(options.string("scoped-tokens", "false"));
        Workspaces workspaces = Workspaces.create(http, operator, workspaceCount, clients, scoped);
        Results results = new Results();
        results.put("http.clients", clients);
        results.put("http.workspaces", workspaceCount);
        results.put("http.warmup_seconds", warmup.toSeconds());
        results.put("http.duration_seconds", duration.toSeconds());
        results.put("http.scoped_tokens", String.valueOf(scoped));

        if (phases.contains("introspection")) {
            Phase.run("introspection", Phase.Window.startingSoon(warmup, duration), clients,
                    i -> introspection(http, operator, workspaces, i), watched, ticks, results);
            results.write(out);
        }
        if (phases.contains("reads")) {
            Phase.run("reads", Phase.Window.startingSoon(warmup, duration), clients, i -> reads(http, workspaces, i),
                    watched, ticks, results);
            results.write(out);
        }
        if (phases.contains("commands")) {
            commands(http, workspaces, clients, Phase.Window.startingSoon(warmup, duration), watched, ticks, results);
            results.write(out);
            for (CommandMix.Focus focus : CommandMix.Focus.values()) {
                if (focus != CommandMix.Focus.MIX) {
                    commandsAlone(focus, http, workspaces, clients,
                            Phase.Window.startingSoon(KIND_WARMUP, kindDuration), watched, ticks, results);
                    results.write(out);
                }
            }
        }
        if (phases.contains("exchanges")) {
            Exchanges exchanges = Exchanges.create(http, workspaces, clients);
            System.err.printf("[bench] exchanges: %d RSA keys, a federation rule on %d accounts of each workspace"
                            + " (%d in all, token lifetime %d s): refusals would start above %.0f exchanges/s%n",
                    workspaces.all.size(), exchanges.accountsPerWorkspace, exchanges.targets.size(),
                    Exchanges.LIFETIME_SECONDS, exchanges.ceilingRate());
            results.put("exchanges.accounts", exchanges.targets.size());
            results.put("exchanges.accounts_per_workspace", exchanges.accountsPerWorkspace);
            results.put("exchanges.lifetime_seconds", Exchanges.LIFETIME_SECONDS);
            results.put("exchanges.ceiling_rate", exchanges.ceilingRate());
            Phase.run("exchanges", Phase.Window.startingSoon(warmup, duration), clients,
                    i -> exchanges.client(http, i), watched, ticks, results);
            results.write(out);
        }
        System.err.println("[bench] HTTP phases done");
    }

    private static Phase.Client introspection(Http http, String operator, Workspaces workspaces, int i) {
        SplittableRandom random = new SplittableRandom(1000 + i);
        return recorder -> {
            Workspaces.KnownToken token = workspaces.tokens.get(random.nextInt(workspaces.tokens.size()));
            Http.Reply reply = http.introspect(operator, token.secret());
            recorder.record("introspect", reply, reply.status() == 200 && reply.body().contains("\"active\":true"));
        };
    }

    private static Phase.Client reads(Http http, Workspaces workspaces, int i) {
        SplittableRandom random = new SplittableRandom(2000 + i);
        return recorder -> {
            Workspaces.Workspace ws = workspaces.all.get(random.nextInt(workspaces.all.size()));
            if (random.nextBoolean()) {
                Workspaces.Account account = ws.accounts.get(random.nextInt(ws.accounts.size()));
                Http.Reply reply = http.query("GET", ws.path() + "/service-accounts/" + account.id, ws.adminToken);
                recorder.record("read_account", reply, reply.status() == 200);
            } else {
                String project = ws.projects.get(random.nextInt(ws.projects.size()));
                Http.Reply reply = http.query("GET", ws.path() + "/projects/" + project + "/access", ws.adminToken);
                recorder.record("read_access", reply, reply.status() == 200);
            }
        };
    }

    /**
     * One kind (pair) of the command mix alone, each client in its own workspaces as in the mix; no read-your-write
     * probes (their queries would count in the query side's CPU per command).
     */
    private static void commandsAlone(CommandMix.Focus focus, Http http, Workspaces workspaces, int clients,
                                      Phase.Window window, Map<String, Long> watched, long ticks, Results results)
            throws InterruptedException {
        List<List<Workspaces.Workspace>> owned = owned(workspaces, clients);
        ReadYourWrites none = new ReadYourWrites(new Phase.Window(0, 0, 0));
        Phase.run(focus.phase(), window, clients,
                i -> new CommandMix(http, owned.get(i), none, 4000 + 100L * focus.ordinal() + i, focus),
                watched, ticks, results);
    }

    private static List<List<Workspaces.Workspace>> owned(Workspaces workspaces, int clients) {
        List<List<Workspaces.Workspace>> owned = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            owned.add(new ArrayList<>());
        }
        for (int w = 0; w < workspaces.all.size(); w++) {
            owned.get(w % clients).add(workspaces.all.get(w));
        }
        return owned;
    }

    private static void commands(Http http, Workspaces workspaces, int clients, Phase.Window window,
                                 Map<String, Long> watched, long ticks, Results results) throws InterruptedException {
        List<List<Workspaces.Workspace>> owned = owned(workspaces, clients);
        ReadYourWrites probes = new ReadYourWrites(window);
        Phase.run("commands", window, clients, i -> new CommandMix(http, owned.get(i), probes, 3000 + i),
                watched, ticks, results);
        probes.finish(results);
    }
}
