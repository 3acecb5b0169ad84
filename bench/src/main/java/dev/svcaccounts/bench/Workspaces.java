package dev.svcaccounts.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The workspaces the load runs in, made before any measurement: each with its admin, {@value #PROJECTS}
 * projects and {@value #ACCOUNTS} service accounts, each account assigned to one project. The accounts' first
 * tokens are what introspection asks about. The command mix then changes them; each workspace belongs to one
 * client thread, which alone touches its state.
 * <p>
 * With {@code scoped} (issue 15's figure), introspection asks instead about a second token of each account, issued
 * with a scope naming every project of the workspace at {@code contributor}: the account reaches its one project
 * at viewer, as with its first token, but the answer is computed through the scope.
 */
final class Workspaces {

    static final int PROJECTS = 3;
    static final int ACCOUNTS = 10;

    static final class Account {
        final String id;
        final List<String> activeTokens = new ArrayList<>();
        final Map<String, String> roles = new HashMap<>(); // project key -> role

        Account(String id) {
            this.id = id;
        }
    }

    static final class Workspace {
        final String id;
        final String adminToken;
        final List<String> projects = new ArrayList<>();
        final List<Account> accounts = new ArrayList<>();
        int created; // accounts created so far, for unique names

        Workspace(String id, String adminToken) {
            this.id = id;
            this.adminToken = adminToken;
        }

        String path() {
            return "/v1/workspaces/" + id;
        }
    }

    /** A token secret that introspection asks about, with its workspace. */
    record KnownToken(String workspaceId, String secret) {
    }

    final List<Workspace> all = new ArrayList<>();
    final List<KnownToken> tokens = new ArrayList<>();

    /** Creates {@code count} workspaces, {@code parallel} at a time, then waits until the query side shows them. */
    static Workspaces create(Http http, String operatorToken, int count, int parallel) throws Exception {
        return create(http, operatorToken, count, parallel, false);
    }

    static Workspaces create(Http http, String operatorToken, int count, int parallel, boolean scoped)
            throws Exception {
        Workspaces made = new Workspaces();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Workspace>> futures = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String id = String.format("bench-%02d", i);
                futures.add(pool.submit(() -> createOne(http, operatorToken, id, made, scoped)));
            }
            for (Future<Workspace> f : futures) {
                made.all.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        for (Workspace ws : made.all) {
            awaitVisible(http, ws);
        }
        return made;
    }

    private static Workspace createOne(Http http, String operatorToken, String id, Workspaces into,
                                       boolean scoped) {
        JsonNode created = expect(http.command("POST", "/v1/workspaces", operatorToken,
                Map.of("id", id, "name", "Benchmark " + id, "admin", Map.of("username", "alice"))), 201).json();
        Workspace ws = new Workspace(id, created.path("token").path("secret").asText());
        for (int p = 1; p <= PROJECTS; p++) {
            String key = "proj-" + p;
            expect(http.command("POST", ws.path() + "/projects", ws.adminToken,
                    Map.of("key", key, "name", "Project " + p, "visibility", "private")), 201);
            ws.projects.add(key);
        }
        for (int a = 0; a < ACCOUNTS; a++) {
            JsonNode account = expect(http.command("POST", ws.path() + "/service-accounts", ws.adminToken,
                    Map.of("name", "fixture-" + a, "description", "made by the benchmark")), 201).json();
            Account acc = new Account(account.path("id").asText());
            acc.activeTokens.add(account.path("token").path("id").asText());
            String project = ws.projects.get(a % PROJECTS);
            expect(http.command("PUT", ws.path() + "/projects/" + project + "/service-accounts/" + acc.id,
                    ws.adminToken, Map.of("role", "viewer")), 200);
            acc.roles.put(project, "viewer");
            ws.accounts.add(acc);
            String secret = account.path("token").path("secret").asText();
            if (scoped) {
                Map<String, String> scope = new HashMap<>();
                ws.projects.forEach(key -> scope.put(key, "contributor"));
                JsonNode token = expect(http.command("POST", ws.path() + "/service-accounts/" + acc.id + "/tokens",
                        ws.adminToken, Map.of("description", "scoped", "scope", scope)), 201).json();
                acc.activeTokens.add(token.path("id").asText());
                secret = token.path("secret").asText();
            }
            synchronized (into) {
                into.tokens.add(new KnownToken(id, secret));
            }
        }
        return ws;
    }

    /** The reads must find what they ask for: wait until the query side's read models hold the fixture. */
    private static void awaitVisible(Http http, Workspace ws) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<String> paths = new ArrayList<>();
        ws.accounts.forEach(a -> paths.add(ws.path() + "/service-accounts/" + a.id));
        ws.projects.forEach(p -> paths.add(ws.path() + "/projects/" + p + "/access"));
        for (String path : paths) {
            while (true) {
                Http.Reply reply = http.query("GET", path, ws.adminToken);
                if (reply.status() == 200 && (!path.endsWith("/access") || reply.body().contains("service_account"))) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the query side did not show " + path + " within 60 s: "
                            + reply.status() + " " + reply.excerpt());
                }
                Thread.sleep(50);
            }
        }
    }

    static Http.Reply expect(Http.Reply reply, int status) {
        if (reply.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + reply.status() + ": " + reply.excerpt());
        }
        return reply;
    }
}
