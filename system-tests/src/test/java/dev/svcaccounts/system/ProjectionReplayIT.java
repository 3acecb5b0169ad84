package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.RunningSystem;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read models are a pure function of the event store: resetting each query-side processor and letting it
 * replay the whole history rebuilds exactly the same rows, and the API answers exactly as before.
 */
class ProjectionReplayIT {

    private static final Duration REPLAY_TIME = Duration.ofSeconds(30);
    /** Workspaces created only to end a replay (see {@link #awaitReplayFinished}); left out of every comparison. */
    private static final String MARKER_PREFIX = "replay-marker-";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("replay");
    private static Api api;

    @BeforeAll
    static void setUp() {
        api = system.api();
    }

    @Test
    void replayingEveryProjectionFromScratch_rebuildsIdenticalReadModels() {
        Map<String, String> admins = scriptedHistory();
        system.awaitProjectionsCaughtUp();

        Map<String, List<String>> before = dumpReadModels();
        Map<String, JsonNode> apiBefore = apiViews(admins);
        assertThat(before).as("read-model tables").containsKeys("service_account", "service_account_token", "audit_entry",
                "member", "project", "project_assignment");
        before.forEach((table, rows) -> assertThat(rows).as("rows of %s", table).isNotEmpty());
        assertThat(before.get("audit_entry")).as("one audit entry per event")
                .hasSize(eventCount());

        for (String name : RunningSystem.QUERY_PROCESSORS) {
            StreamingEventProcessor processor = system.queryProcessor(name);
            assertThat(processor.supportsReset()).as(name + " supports reset").isTrue();
            processor.shutDown();
            processor.resetTokens();
            processor.start();
            awaitReplayFinished(processor);
        }

        assertThat(dumpReadModels()).isEqualTo(before);
        assertThat(apiViews(admins)).isEqualTo(apiBefore);

        // and live processing goes on after the replay: a new change shows up once
        String id = api.createServiceAccount("replay-a", admins.get("replay-a"), "after-replay").path("id").asText();
        Eventually.read(() -> api.getServiceAccount("replay-a", admins.get("replay-a"), id),
                sa -> assertThat(sa.path("name").asText()).isEqualTo("after-replay"));
        system.awaitProjectionsCaughtUp();
        assertThat(dumpReadModels().get("audit_entry")).hasSize(eventCount());
    }

    @Test
    void resettingAProcessor_clearsItsReadModel_beforeTheReplayRebuildsIt() {
        Map<String, String> admins = Map.of("replay-c", api.createWorkspace("replay-c", "carol").path("token").path("secret").asText());
        api.createServiceAccount("replay-c", admins.get("replay-c"), "witness");
        system.awaitProjectionsCaughtUp();
        Map<String, List<String>> before = dumpReadModels();

        StreamingEventProcessor processor = system.queryProcessor("service-accounts");
        processor.shutDown();
        processor.resetTokens();
        try {
            Map<String, List<String>> reset = dumpReadModels();
            assertThat(reset.get("service_account")).as("accounts right after the reset").isEmpty();
            assertThat(reset.get("service_account_token")).as("tokens right after the reset").isEmpty();
            assertThat(reset.get("audit_entry")).as("another processor's table is left alone")
                    .isEqualTo(before.get("audit_entry"));
        } finally {
            processor.start();
        }
        awaitReplayFinished(processor);
        assertThat(dumpReadModels()).isEqualTo(before);
    }

    private static int markers;

    /**
     * Waits until the processor has replayed everything and left replay mode. Axon keeps a reset processor
     * "replaying" until it handles an event past the reset point, which in a quiet system never comes: so one is
     * appended (a workspace of its own, which the dumps leave out), and the wait is for the new head.
     */
    private static void awaitReplayFinished(StreamingEventProcessor processor) {
        api.createWorkspace(MARKER_PREFIX + (++markers), "marker");
        RunningSystem.awaitCaughtUp(processor, system.eventStoreHead(), REPLAY_TIME);
    }

    /** Two workspaces with every kind of change, to accounts, members and projects; returns each admin's token. */
    private static Map<String, String> scriptedHistory() {
        Map<String, String> admins = new LinkedHashMap<>();
        for (String ws : List.of("replay-a", "replay-b")) {
            String admin = api.createWorkspace(ws, "alice").path("token").path("secret").asText();
            admins.put(ws, admin);
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
            api.delete(ws, admin, ids.get(4)); // its assignment ends with it
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
        }
        return admins;
    }

    private static int eventCount() {
        Integer count = system.database().jdbc().queryForObject(
                "SELECT count(*) FROM command_side.domain_event_entry WHERE aggregate_identifier NOT LIKE ?",
                Integer.class, MARKER_PREFIX + "%");
        return count == null ? 0 : count;
    }

    /**
     * Every read-model table of schema query_side (all but the processors' token_entry and processor_node, and
     * Flyway's history), each row as JSON text with every column, sorted by that text: the same data gives the
     * same dump. Rows of the marker workspaces are left out.
     */
    private static Map<String, List<String>> dumpReadModels() {
        JdbcTemplate jdbc = system.database().jdbc();
        List<String> tables = jdbc.queryForList("""
                SELECT table_name FROM information_schema.tables
                 WHERE table_schema = 'query_side' AND table_type = 'BASE TABLE'
                   AND table_name NOT IN ('token_entry', 'processor_node', 'flyway_schema_history')
                 ORDER BY table_name
                """, String.class);
        Map<String, List<String>> dump = new TreeMap<>();
        for (String table : tables) {
            Integer byWorkspace = jdbc.queryForObject("""
                    SELECT count(*) FROM information_schema.columns
                     WHERE table_schema = 'query_side' AND table_name = ? AND column_name = 'workspace_id'
                    """, Integer.class, table);
            String where = byWorkspace > 0 ? " WHERE workspace_id NOT LIKE '" + MARKER_PREFIX + "%'" : "";
            dump.put(table, jdbc.queryForList("SELECT row_to_json(r)::text FROM query_side.\"" + table + "\" r" + where
                    + " ORDER BY 1", String.class));
        }
        return dump;
    }

    /** What the API shows of everything in both workspaces. */
    private static Map<String, JsonNode> apiViews(Map<String, String> admins) {
        Map<String, JsonNode> views = new LinkedHashMap<>();
        admins.forEach((ws, admin) -> {
            for (String status : new String[]{null, "active", "deactivated", "deleted"}) {
                JsonNode page = api.listServiceAccounts(ws, admin, status).expect(200).json();
                views.put(ws + " list " + status, page);
                if ("deleted".equals(status) || status == null) {
                    for (JsonNode sa : Json.items(page)) {
                        String id = sa.path("id").asText();
                        views.put(ws + " detail " + id, api.getServiceAccount(ws, admin, id).expect(200).json());
                        views.put(ws + " tokens " + id, api.listTokens(ws, admin, id).expect(200).json());
                    }
                }
            }
            views.put(ws + " audit", api.query("GET", Api.audit(ws)).token(admin).param("limit", "500").send().expect(200).json());
            views.put(ws + " members", api.listMembers(ws, admin).expect(200).json());
            JsonNode projects = api.listProjects(ws, admin).expect(200).json();
            views.put(ws + " projects", projects);
            for (String key : Json.texts(Json.items(projects), "key")) {
                views.put(ws + " project " + key, api.getProject(ws, admin, key).expect(200).json());
                views.put(ws + " project " + key + " accounts", api.projectServiceAccounts(ws, admin, key).expect(200).json());
                views.put(ws + " project " + key + " members", api.projectMembers(ws, admin, key).expect(200).json());
                views.put(ws + " project " + key + " access", api.projectAccess(ws, admin, key).expect(200).json());
            }
        });
        return views;
    }
}
