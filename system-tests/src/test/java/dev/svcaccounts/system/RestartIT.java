package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.PersistentPostgres;
import dev.svcaccounts.system.support.Probe;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping everything (both applications and PostgreSQL) and starting it again on the same data directory
 * loses nothing: credentials, aggregates, read models and the audit trail are as they were, and new commands
 * continue from the stored state (the quota count, token limits, name uniqueness).
 */
class RestartIT {

    private static final String WS = "persistent";

    @Test
    void everythingSurvivesAFullRestart_andNewCommandsContinueFromTheStoredState() throws Exception {
        try (PersistentPostgres postgres = new PersistentPostgres()) {
            postgres.start();
            Database database = postgres.createDatabase("svcaccounts");

            // ---------------------------------------------------------------- before
            String admin;
            String keptId;
            String keptSecret;
            String keptExtraSecret;
            String revokedSecret;
            String deactivatedId;
            String deactivatedSecret;
            String deletedId;
            String deletedSecret;
            List<String> fillers = new ArrayList<>();
            Map<String, JsonNode> readModelsBefore;
            List<JsonNode> auditBefore;
            long headBefore;
            try (RunningSystem system = RunningSystem.start(database)) {
                Api api = system.api();
                admin = api.createWorkspace(WS, "alice").path("token").path("secret").asText();

                JsonNode kept = api.createServiceAccount(WS, admin, "kept", "survives the restart");
                keptId = kept.path("id").asText();
                keptSecret = kept.path("token").path("secret").asText();
                keptExtraSecret =
                        api.issueToken(WS, admin, keptId, Map.of("description", "extra")).path("secret").asText();
                JsonNode revoked = api.issueToken(WS, admin, keptId);
                revokedSecret = revoked.path("secret").asText();
                api.revokeToken(WS, admin, keptId, revoked.path("id").asText());
                api.rename(WS, admin, keptId, "kept-renamed");

                JsonNode deactivated = api.createServiceAccount(WS, admin, "sleeper");
                deactivatedId = deactivated.path("id").asText();
                deactivatedSecret = deactivated.path("token").path("secret").asText();
                api.deactivate(WS, admin, deactivatedId);

                JsonNode deleted = api.createServiceAccount(WS, admin, "gone");
                deletedId = deleted.path("id").asText();
                deletedSecret = deleted.path("token").path("secret").asText();
                api.delete(WS, admin, deletedId);

                // fill the quota: kept + sleeper + 48 = 50 live accounts
                for (int i = 0; i < 48; i++) {
                    fillers.add(api.createServiceAccount(WS, admin, "filler-" + i).path("id").asText());
                }
                assertThat(api.command("POST", serviceAccounts(WS)).token(admin).json(Map.of("name", "one-more"))
                        .send().status()).isEqualTo(409);

                system.awaitProjectionsCaughtUp();
                headBefore = system.eventStoreHead();
                readModelsBefore = readModels(api, admin, keptId, deactivatedId, deletedId);
                auditBefore = wholeAuditTrail(api, admin);
                assertThat(auditBefore).as("audit entries before the restart").hasSizeGreaterThan(100);
            }
            postgres.stop();

            // ---------------------------------------------------------------- after
            postgres.start();
            try (RunningSystem system = RunningSystem.start(database)) {
                Api api = system.api();

                assertThat(system.eventStoreHead()).as("nothing was appended by the restart").isEqualTo(headBefore);

                // credentials: old secrets still work, dead ones stay dead (each refusal is itself recorded)
                assertThat(Probe.querySide(api, WS, admin).status()).as("admin token").isEqualTo(200);
                assertThat(Probe.commandSide(api, WS, admin).status()).as("admin token").isEqualTo(404);
                for (String secret : List.of(keptSecret, keptExtraSecret)) {
                    assertThat(Probe.querySide(api, WS, secret).status()).as("live account token, query side")
                            .isEqualTo(403);
                    assertThat(Probe.commandSide(api, WS, secret).status()).as("live account token, command side")
                            .isEqualTo(403);
                }
                for (String secret : List.of(revokedSecret, deactivatedSecret, deletedSecret)) {
                    assertThat(Probe.querySide(api, WS, secret).status()).as("dead token, query side").isEqualTo(401);
                    assertThat(Probe.commandSide(api, WS, secret).status()).as("dead token, command side")
                            .isEqualTo(401);
                }

                // read models and audit trail: exactly as before, and nothing replayed twice; the only new entries
                // are the refusals of the probes just above: 6 dead tokens (401) and 2 account tokens writing (403)
                system.awaitProjectionsCaughtUp();
                assertThat(readModels(api, admin, keptId, deactivatedId, deletedId)).isEqualTo(readModelsBefore);
                List<JsonNode> auditAfterProbes = wholeAuditTrail(api, admin);
                assertThat(auditAfterProbes.subList(0, auditBefore.size())).isEqualTo(auditBefore);
                assertThat(auditAfterProbes.subList(auditBefore.size(), auditAfterProbes.size()))
                        .extracting(e -> e.path("type").asText() + " " + e.path("details").path("status").asInt())
                        .containsExactlyInAnyOrder("access.refused 401", "access.refused 401", "access.refused 401",
                                "access.refused 401", "access.refused 401", "access.refused 401",
                                "access.refused 403", "access.refused 403");
                auditBefore = auditAfterProbes;

                // the aggregate was rebuilt from its events: its rules continue where they were
                // (recreating it must fail; that it is a 409 rather than a 500 is ServiceAccountLifecycleIT's concern)
                assertThat(api.command("POST", "/v1/workspaces").token(api.operatorToken())
                        .json(Map.of("id", WS, "name", "again", "admin", Map.of("username", "mallory")))
                        .send().status()).as("the workspace still exists").isNotEqualTo(201);
                assertThat(Probe.querySide(api, WS, admin).status()).as("its admin is still alice").isEqualTo(200);
                assertThat(api.command("POST", serviceAccounts(WS)).token(admin).json(Map.of("name", "one-more"))
                        .send().status()).as("the quota is still full").isEqualTo(409);
                assertThat(api.command("POST", Api.serviceAccount(WS, deactivatedId) + "/deactivate").token(admin)
                        .send().status()).as("still deactivated").isEqualTo(409);
                assertThat(api.command("POST", Api.tokens(WS, deletedId)).token(admin).send().status())
                        .as("still deleted").isEqualTo(404);
                // kept has 2 live tokens: three more reach the limit of five, the sixth is refused
                for (int i = 0; i < 3; i++) {
                    api.issueToken(WS, admin, keptId);
                }
                assertThat(api.command("POST", Api.tokens(WS, keptId)).token(admin).send().status())
                        .as("token limit counts the tokens from before the restart").isEqualTo(409);

                api.delete(WS, admin, fillers.get(0));
                JsonNode reused = api.createServiceAccount(WS, admin, "Filler-0");
                assertThat(api.command("POST", serviceAccounts(WS)).token(admin).json(Map.of("name", "one-more"))
                        .send().status()).as("the freed slot is taken again").isEqualTo(409);
                assertThat(api.command("POST", serviceAccounts(WS)).token(admin).json(Map.of("name", "KEPT-RENAMED"))
                        .send().status()).as("names from before the restart are still taken").isEqualTo(409);
                String fresh = api.reactivate(WS, admin, deactivatedId).path("token").path("secret").asText();
                assertThat(Probe.querySide(api, WS, fresh).status()).isEqualTo(403);
                assertThat(Probe.querySide(api, WS, deactivatedSecret).status()).isEqualTo(401);

                // the projections carry on from where they stopped
                Eventually.read(() -> api.getServiceAccount(WS, admin, reused.path("id").asText()),
                        sa -> assertThat(sa.path("name").asText()).isEqualTo("Filler-0"));
                Eventually.read(() -> api.getServiceAccount(WS, admin, deactivatedId),
                        sa -> assertThat(sa.path("status").asText()).isEqualTo("active"));
                system.awaitProjectionsCaughtUp();
                List<JsonNode> auditAfter = wholeAuditTrail(api, admin);
                assertThat(auditAfter.subList(0, auditBefore.size())).isEqualTo(auditBefore);
                assertThat(auditAfter.subList(auditBefore.size(), auditAfter.size()))
                        .as("entries for the commands after the restart")
                        .extracting(e -> e.path("type").asText())
                        .contains("token.issued", "service_account.deleted", "service_account.created",
                                "service_account.reactivated")
                        .doesNotContain("workspace.created");
                assertThat(auditAfter.stream().map(e -> e.path("position").asLong()).toList())
                        .doesNotHaveDuplicates().isSorted();
            }
        }
    }

    /** What the query side says about the workspace and three of its accounts. */
    private static Map<String, JsonNode> readModels(Api api, String admin, String... ids) {
        Map<String, JsonNode> views = new LinkedHashMap<>();
        views.put("list", api.listServiceAccounts(WS, admin).expect(200).json());
        for (String status : List.of("active", "deactivated", "deleted")) {
            views.put("list " + status, api.listServiceAccounts(WS, admin, status).expect(200).json());
        }
        for (String id : ids) {
            views.put("detail " + id, api.getServiceAccount(WS, admin, id).expect(200).json());
            views.put("tokens " + id, api.listTokens(WS, admin, id).expect(200).json());
        }
        return views;
    }

    /** Every audit entry of the workspace, following the cursor. */
    static List<JsonNode> wholeAuditTrail(Api api, String admin) {
        List<JsonNode> entries = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 100; page++) {
            JsonNode body = api.query("GET", Api.audit(WS)).token(admin).param("limit", "500").param("after", after)
                    .send().expect(200).json();
            entries.addAll(Json.items(body));
            after = Json.text(body, "next");
            if (after == null) {
                return entries;
            }
        }
        throw new AssertionError("the audit cursor never ended");
    }
}
