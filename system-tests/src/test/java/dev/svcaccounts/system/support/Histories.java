package dev.svcaccounts.system.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Event histories written through the command API, to rebuild read models from. */
public final class Histories {

    private Histories() {
    }

    /**
     * Many workspaces, {@code prefix-0} to {@code prefix-(workspaces-1)}, each created with admin "alice" and then
     * given {@code rounds} commands (in turn: a service account, a project, a member; two events each), sent in
     * parallel over the workspaces. Commands on one workspace queue behind each other, commands on different
     * ones do not, so this is the quick way to thousands of events. Returns each workspace's admin token.
     */
    public static Map<String, String> bulk(Api api, String prefix, int workspaces, int rounds) throws Exception {
        assertThat(rounds).as("at most 50 service accounts a workspace").isLessThanOrEqualTo(150);
        List<String> ids = new ArrayList<>();
        for (int w = 0; w < workspaces; w++) {
            ids.add(prefix + "-" + w);
        }
        Map<String, String> admins = new LinkedHashMap<>();
        List<Response> created = Parallel.send(8, workspaces, i -> api.command("POST", "/v1/workspaces")
                .token(api.operatorToken())
                .json(Map.of("id", ids.get(i), "name", "Workspace " + ids.get(i),
                        "admin", Map.of("username", "alice"))));
        for (int w = 0; w < workspaces; w++) {
            admins.put(ids.get(w), created.get(w).expect(201).json().path("token").path("secret").asText());
        }
        List<Response> responses = Parallel.send(8, workspaces * rounds, i -> {
            String ws = ids.get(i % workspaces);
            int round = i / workspaces;
            Api.Request request = switch (round % 3) {
                case 0 -> api.command("POST", Api.serviceAccounts(ws)).json(Map.of("name", "bot-" + round));
                case 1 -> api.command("POST", Api.projects(ws))
                        .json(Map.of("key", "p-" + round, "name", "Project " + round, "visibility", "private"));
                default -> api.command("POST", Api.members(ws))
                        .json(Map.of("username", "user-" + round, "role", "member"));
            };
            return request.token(admins.get(ws));
        });
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
        return admins;
    }

    /** A federation rule trusting GitHub Actions runs of acme's repositories with this subject. */
    public static Map<String, Object> federationRule(String subject) {
        return Map.of("issuer", "https://token.actions.githubusercontent.com",
                "jwksUri", "https://token.actions.githubusercontent.com/.well-known/jwks",
                "audience", "https://github.com/acme", "subject", subject,
                "claims", Map.of("repository_owner", "acme"), "maxTokenLifetimeSeconds", 600);
    }

    /**
     * One workspace with every kind of change to accounts, tokens, members, projects and assignments, so that
     * every event handler of every projection has something to do; returns its admin's token.
     */
    public static String everyKindOfChange(Api api, String ws) {
        String admin = api.createWorkspace(ws, "alice").path("token").path("secret").asText();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(api.createServiceAccount(ws, admin, ws + "-bot-" + i, i % 2 == 0 ? "description " + i : null)
                    .path("id").asText());
        }
        api.rename(ws, admin, ids.get(0), ws + "-renamed");
        api.updateServiceAccount(ws, admin, ids.get(1), Map.of("description", "changed"));
        JsonNode extra = api.issueToken(ws, admin, ids.get(0), Map.of("description", "extra",
                "expiresAt", Instant.now().plus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString()));
        api.issueToken(ws, admin, ids.get(0));
        api.revokeToken(ws, admin, ids.get(0), extra.path("id").asText());
        api.command("POST", Api.serviceAccount(ws, ids.get(2)) + "/deactivate").token(admin)
                .header("X-Audit-Reason", "rotation").json(Map.of("reason", "leaked")).send().expect(200);
        api.deactivate(ws, admin, ids.get(3));
        api.reactivate(ws, admin, ids.get(3));
        api.createProject(ws, admin, "models", "private");
        api.createProject(ws, admin, "pipelines", "workspace");
        api.createProject(ws, admin, "scratch", "private");
        api.assignServiceAccount(ws, admin, "models", ids.get(4), "owner");
        // federation rules: one kept, one removed, one ending with its deleted account
        api.addFederationRule(ws, admin, ids.get(0), federationRule("repo:acme/train:ref:refs/heads/main"));
        String removed = api.addFederationRule(ws, admin, ids.get(0), federationRule("repo:acme/train:*"))
                .path("ruleId").asText();
        api.removeFederationRule(ws, admin, ids.get(0), removed);
        api.addFederationRule(ws, admin, ids.get(4), federationRule("repo:acme/eval:*"));
        api.delete(ws, admin, ids.get(4)); // its assignment and its federation rules end with it
        api.createServiceAccount(ws, admin, ws + "-bot-4");

        String bob = api.addMember(ws, admin, "bob", "member").path("token").path("secret").asText();
        api.addMember(ws, admin, "carol", "admin");
        api.addMember(ws, admin, "dave", "member");
        api.changeMemberRole(ws, admin, "carol", "member");
        JsonNode bobsSecond = api.issueMemberToken(ws, bob, "bob");
        api.revokeMemberToken(ws, bob, "bob", bobsSecond.path("id").asText());
        api.assignMember(ws, admin, "models", "bob", "owner");
        api.assignServiceAccount(ws, bob, "models", ids.get(0), "viewer");
        api.assignServiceAccount(ws, bob, "models", ids.get(0), "contributor");
        api.assignServiceAccount(ws, admin, "models", ids.get(1), "viewer");
        api.unassignServiceAccount(ws, bob, "models", ids.get(1));
        api.assignServiceAccount(ws, admin, "pipelines", ids.get(3), "owner");
        api.assignServiceAccount(ws, admin, "pipelines", ids.get(2), "viewer"); // deactivated, stays assigned
        api.assignMember(ws, admin, "pipelines", "carol", "viewer");
        api.assignMember(ws, admin, "pipelines", "dave", "contributor");
        api.unassignMember(ws, admin, "pipelines", "carol");
        api.assignMember(ws, admin, "scratch", "dave", "owner");
        api.updateProject(ws, admin, "models", Map.of("name", "Models of " + ws));
        api.changeVisibility(ws, admin, "pipelines", "public");
        api.removeMember(ws, admin, "dave"); // its tokens and assignments end with it
        api.deleteProject(ws, admin, "scratch");
        // a credential policy, enforced: every working token without expiry gets one
        api.command("PUT", "/v1/workspaces/" + ws + "/policies/tokens").token(admin)
                .json(Map.of("maxLifetimeDays", 365, "maxIdleDays", 90, "enforce", true)).send().expect(200);
        return admin;
    }
}
