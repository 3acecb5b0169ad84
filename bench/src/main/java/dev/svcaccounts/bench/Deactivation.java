package dev.svcaccounts.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bench deactivation}: how long deactivating a service account takes, which revokes every working token of
 * the account in the command's own transaction (issue 12, hole 17: it read every token ever issued). Each of
 * {@code --clients} clients owns a workspace of its own with one account, and deactivates and reactivates it in
 * turn (a reactivation issues a fresh token, so every deactivation has one to revoke). {@code bench/run.sh} runs it
 * twice, named by {@code --phase}: on the tokens the command phase left, and again after adding 250,000 to the
 * credential table ({@code bench/sql/seed-tokens.sql}); the figure is how far the second is from the first.
 * The operator credential comes from the environment variable {@code BENCH_OPERATOR_TOKEN}.
 */
final class Deactivation {

    private Deactivation() {
    }

    static void run(Options options) throws Exception {
        Http http = new Http(options.string("command-url"), options.string("query-url"));
        String operator = Options.secret("BENCH_OPERATOR_TOKEN");
        String phase = options.string("phase");
        int clients = options.integer("clients", 4);
        Duration warmup = Duration.ofSeconds(options.integer("warmup", 10));
        Duration duration = Duration.ofSeconds(options.integer("duration", 60));
        long ticks = options.integer("clock-ticks", 100);
        Map<String, Long> watched = new LinkedHashMap<>(options.watched());
        watched.put("load_generator", ProcessHandle.current().pid());
        Path out = options.path("out");

        String[] adminTokens = new String[clients];
        String[] accounts = new String[clients];
        for (int i = 0; i < clients; i++) {
            String ws = (phase + "-" + (i + 1)).replace('_', '-');
            adminTokens[i] = Workspaces.expect(http.command("POST", "/v1/workspaces", operator,
                            Map.of("id", ws, "name", "Deactivation " + ws, "admin", Map.of("username", "alice"))), 201)
                    .json().path("token").path("secret").asText();
            accounts[i] = "/v1/workspaces/" + ws + "/service-accounts/" + Workspaces.expect(http.command("POST",
                    "/v1/workspaces/" + ws + "/service-accounts", adminTokens[i], Map.of("name", "rotating")), 201)
                    .json().path("id").asText();
        }

        Results results = new Results();
        Phase.run(phase, Phase.Window.startingSoon(warmup, duration), clients, i -> new Phase.Client() {
            private boolean active = true;

            @Override
            public void step(Phase.Recorder recorder) {
                String action = active ? "deactivate" : "reactivate";
                Http.Reply reply = http.command("POST", accounts[i] + "/" + action, adminTokens[i],
                        active ? Map.of("reason", "benchmark") : null);
                boolean ok = reply.status() == 200;
                recorder.record(phase + "_" + action, reply, ok);
                if (ok) {
                    active = !active;
                }
            }
        }, watched, ticks, results);
        results.write(out);
        System.err.println("[bench] " + phase + " done");
    }
}
