package dev.svcaccounts.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * One client of the command phase: what an admin does all day, in its own workspaces (no other client touches
 * them, so their state here is exact). Each step is one request:
 * <ul>
 *   <li>{@value #CREATE}% create a service account; in a workspace holding {@value #DELETE_FROM} accounts it
 *       deletes one instead, so the 50-account quota is never hit;</li>
 *   <li>{@value #ISSUE}% issue a token (to an account with fewer than 5, the most it may have);</li>
 *   <li>{@value #REVOKE}% revoke a token;</li>
 *   <li>the rest assign an account to a project or change its role there.</li>
 * </ul>
 * A sample of creations and role changes is followed to the query side by {@link ReadYourWrites}.
 * <p>
 * After the mix, the same client runs each {@link Focus} alone for a short sub-phase, so that the CPU each process
 * spends per command can be told apart by kind (issue 18): accounts created and deleted in turn, tokens issued and
 * revoked in turn, roles assigned or changed. The pairs keep the workspaces as they were (the account quota and the
 * token quota are never hit); a pair's CPU per request is the mean of its two kinds, its latencies are per kind.
 */
final class CommandMix implements Phase.Client {

    /** Which commands a client sends: the mix, or one kind (pair) alone. */
    enum Focus {
        MIX(""),
        ACCOUNTS("accounts"),
        TOKENS("tokens"),
        ROLES("roles");

        /** The sub-phase's name suffix ({@code commands_<suffix>}); empty for the mix. */
        final String suffix;

        Focus(String suffix) {
            this.suffix = suffix;
        }

        /** The name of the phase this focus runs in. */
        String phase() {
            return suffix.isEmpty() ? "commands" : "commands_" + suffix;
        }
    }

    /** A workspace keeps at least this many accounts while accounts are created and deleted in turn. */
    static final int KEEP_ACCOUNTS = 10;

    static final int CREATE = 15;
    static final int ISSUE = 25;
    static final int REVOKE = 20;
    static final int DELETE_FROM = 45;
    private static final int MAX_TOKENS = 5;
    private static final List<String> ROLES = List.of("viewer", "contributor", "owner");

    private final Http http;
    private final List<Workspaces.Workspace> mine;
    private final ReadYourWrites readYourWrites;
    private final SplittableRandom random;
    private final Focus focus;
    /** The kinds' prefix in the results: none in the mix, {@code <phase>.} in a sub-phase. */
    private final String prefix;
    /** In a pair's sub-phase: whether the next command is the pair's second kind (delete, revoke). */
    private boolean second;

    CommandMix(Http http, List<Workspaces.Workspace> mine, ReadYourWrites readYourWrites, long seed) {
        this(http, mine, readYourWrites, seed, Focus.MIX);
    }

    CommandMix(Http http, List<Workspaces.Workspace> mine, ReadYourWrites readYourWrites, long seed, Focus focus) {
        this.http = http;
        this.mine = mine;
        this.readYourWrites = readYourWrites;
        this.random = new SplittableRandom(seed);
        this.focus = focus;
        this.prefix = focus == Focus.MIX ? "" : focus.phase() + ".";
    }

    @Override
    public void step(Phase.Recorder recorder) {
        Workspaces.Workspace ws = mine.get(random.nextInt(mine.size()));
        switch (focus) {
            case MIX -> mixed(ws, recorder);
            case ACCOUNTS -> accounts(ws, recorder);
            case TOKENS -> tokens(ws, recorder);
            case ROLES -> assign(ws, pick(ws, a -> true), recorder);
            default -> throw new IllegalStateException(focus.name());
        }
    }

    /** Create and delete in turn; create where a workspace is at the mix's limit, delete where it is nearly empty. */
    private void accounts(Workspaces.Workspace ws, Phase.Recorder recorder) {
        boolean delete = ws.accounts.size() >= DELETE_FROM || second && ws.accounts.size() > KEEP_ACCOUNTS;
        if (delete) {
            delete(ws, recorder);
        } else {
            create(ws, recorder);
        }
        second = !delete;
    }

    /** Issue and revoke in turn, each where it is allowed (an account keeps at least one token). */
    private void tokens(Workspaces.Workspace ws, Phase.Recorder recorder) {
        Workspaces.Account revocable = second ? pick(ws, a -> a.activeTokens.size() > 1) : null;
        if (revocable != null) {
            revoke(ws, revocable, recorder);
            second = false;
            return;
        }
        Workspaces.Account issuable = pick(ws, a -> a.activeTokens.size() < MAX_TOKENS);
        if (issuable != null) {
            issue(ws, issuable, recorder);
            second = true;
        } else {
            revoke(ws, pick(ws, a -> a.activeTokens.size() > 1), recorder);
        }
    }

    private void mixed(Workspaces.Workspace ws, Phase.Recorder recorder) {
        int dice = random.nextInt(100);
        if (dice < CREATE) {
            if (ws.accounts.size() >= DELETE_FROM) {
                delete(ws, recorder);
            } else {
                create(ws, recorder);
            }
        } else if (dice < CREATE + ISSUE) {
            Workspaces.Account account = pick(ws, a -> a.activeTokens.size() < MAX_TOKENS);
            if (account != null) {
                issue(ws, account, recorder);
            } else {
                revoke(ws, pick(ws, a -> !a.activeTokens.isEmpty()), recorder);
            }
        } else if (dice < CREATE + ISSUE + REVOKE) {
            Workspaces.Account account = pick(ws, a -> a.activeTokens.size() > 1);
            if (account != null) {
                revoke(ws, account, recorder);
            } else {
                issue(ws, pick(ws, a -> a.activeTokens.size() < MAX_TOKENS), recorder);
            }
        } else {
            assign(ws, pick(ws, a -> true), recorder);
        }
    }

    private void create(Workspaces.Workspace ws, Phase.Recorder recorder) {
        Http.Reply reply = http.command("POST", ws.path() + "/service-accounts", ws.adminToken,
                Map.of("name", "load-" + (++ws.created), "description", "made by the benchmark's command mix"));
        boolean ok = reply.status() == 201;
        recorder.record(prefix + "create_account", reply, ok);
        if (ok) {
            JsonNode body = reply.json();
            Workspaces.Account account = new Workspaces.Account(body.path("id").asText());
            account.activeTokens.add(body.path("token").path("id").asText());
            ws.accounts.add(account);
            String path = ws.path() + "/service-accounts/" + account.id;
            readYourWrites.sample("create_account", reply, account.id,
                    () -> http.query("GET", path, ws.adminToken).status() == 200);
        }
    }

    private void delete(Workspaces.Workspace ws, Phase.Recorder recorder) {
        Workspaces.Account account = pick(ws, a -> true);
        if (account == null) {
            return;
        }
        Http.Reply reply = http.command("DELETE", ws.path() + "/service-accounts/" + account.id, ws.adminToken, null);
        boolean ok = reply.status() == 204;
        recorder.record(prefix + "delete_account", reply, ok);
        if (ok) {
            ws.accounts.remove(account);
        }
    }

    private void issue(Workspaces.Workspace ws, Workspaces.Account account, Phase.Recorder recorder) {
        if (account == null) {
            return;
        }
        Http.Reply reply = http.command("POST", ws.path() + "/service-accounts/" + account.id + "/tokens",
                ws.adminToken, Map.of("description", "benchmark token"));
        boolean ok = reply.status() == 201;
        recorder.record(prefix + "issue_token", reply, ok);
        if (ok) {
            account.activeTokens.add(reply.json().path("id").asText());
        }
    }

    private void revoke(Workspaces.Workspace ws, Workspaces.Account account, Phase.Recorder recorder) {
        if (account == null) {
            return;
        }
        String tokenId = account.activeTokens.get(random.nextInt(account.activeTokens.size()));
        Http.Reply reply = http.command("DELETE",
                ws.path() + "/service-accounts/" + account.id + "/tokens/" + tokenId, ws.adminToken, null);
        boolean ok = reply.status() == 204;
        recorder.record(prefix + "revoke_token", reply, ok);
        if (ok) {
            account.activeTokens.remove(tokenId);
        }
    }

    private void assign(Workspaces.Workspace ws, Workspaces.Account account, Phase.Recorder recorder) {
        if (account == null) {
            return;
        }
        String project = ws.projects.get(random.nextInt(ws.projects.size()));
        String current = account.roles.get(project);
        List<String> others = ROLES.stream().filter(r -> !r.equals(current)).toList();
        String role = others.get(random.nextInt(others.size()));
        Http.Reply reply = http.command("PUT", ws.path() + "/projects/" + project + "/service-accounts/" + account.id,
                ws.adminToken, Map.of("role", role));
        boolean ok = reply.status() == 200;
        recorder.record(prefix + "assign_role", reply, ok);
        if (ok) {
            account.roles.put(project, role);
            String path = ws.path() + "/projects/" + project + "/access";
            readYourWrites.sample("assign_role", reply, account.id,
                    () -> showsRole(http.query("GET", path, ws.adminToken), account.id, role));
        }
    }

    /** Whether a project's access listing shows the service account with that role. */
    static boolean showsRole(Http.Reply reply, String accountId, String role) {
        if (reply.status() != 200) {
            return false;
        }
        for (JsonNode item : reply.json().path("items")) {
            JsonNode principal = item.path("principal");
            if ("service_account".equals(principal.path("type").asText())
                    && accountId.equals(principal.path("id").asText())) {
                return role.equals(item.path("role").asText());
            }
        }
        return false;
    }

    /** A random account of the workspace that matches and that no probe is watching; null if none. */
    private Workspaces.Account pick(Workspaces.Workspace ws, Predicate<Workspaces.Account> test) {
        int n = ws.accounts.size();
        int offset = n == 0 ? 0 : random.nextInt(n);
        for (int i = 0; i < n; i++) {
            Workspaces.Account a = ws.accounts.get((offset + i) % n);
            if (test.test(a) && !readYourWrites.isWatched(a.id)) {
                return a;
            }
        }
        return null;
    }
}
