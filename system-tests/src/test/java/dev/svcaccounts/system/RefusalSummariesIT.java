package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.NodeProcess;
import dev.svcaccounts.system.support.Probe;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refusals beyond the ten a node records per token or principal and window are not lost: each window's count goes
 * into the trail as one {@code access.refusals_not_recorded} entry when the window ends, when the node stops, and,
 * when the node is killed, by another node from what the dead one had saved. Here the windows last 10 s (the default
 * is a minute) and a dead node's summaries are taken over 2 s after their window (default: 2 minutes). A window
 * starts at a key's first refusal; on a slow machine a burst may spread over two, so the tests count what was
 * recorded and summed up together.
 */
class RefusalSummariesIT {

    private static final String WS = "summaries";
    private static final Duration WINDOW = Duration.ofSeconds(10);
    /** Enough for a window to end, its summary to be written and the trail to show it. */
    private static final Duration SUMMED_UP = WINDOW.plusSeconds(20);
    /** The window of the node that is killed: long enough to kill it while its window is open. */
    private static final Duration DOOMED_WINDOW = Duration.ofSeconds(30);
    private static final String[] SETTINGS = {"--svcaccounts.refusals.window=" + WINDOW.toSeconds() + "s",
            "--svcaccounts.refusals.save-interval=200ms", "--svcaccounts.refusals.orphaned-after=2s",
            "--svcaccounts.refusals.take-over-interval=1s"};

    private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private static Database database;
    private static String queryUrl;
    private static Api api;
    private static String admin;

    @BeforeAll
    static void start() {
        database = TestDatabases.fresh("refusal-summaries");
        String command = RunningSystem.baseUrl(start(RunningSystem.startCommandSide(database, SETTINGS)));
        queryUrl = RunningSystem.baseUrl(start(RunningSystem.startQuerySide(database, SETTINGS)));
        api = new Api(command, queryUrl, RunningSystem.OPERATOR_TOKEN);
        admin = api.createWorkspace(WS, "alice").path("token").path("secret").asText();
    }

    private static ConfigurableApplicationContext start(ConfigurableApplicationContext node) {
        nodes.add(0, node);
        return node;
    }

    @AfterAll
    static void stop() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aRevokedTokenHammering_isRecordedTenTimesAWindow_andTheRestSummedUp_inTheTrailTimelineAndExport() {
        JsonNode sa = api.createServiceAccount(WS, admin, "hammer");
        String saId = sa.path("id").asText();
        String tokenId = sa.path("token").path("id").asText();
        api.revokeToken(WS, admin, saId, tokenId);
        for (int i = 0; i < 25; i++) {
            Probe.commandSide(api, WS, sa.path("token").path("secret").asText()).expect(401);
        }

        List<JsonNode> summaries = summedUp(Map.of("token", tokenId), 25);
        JsonNode summary = summaries.get(0);
        assertThat(summary.path("actor").path("type").asText()).isEqualTo("service_account");
        assertThat(summary.path("actor").path("id").asText()).isEqualTo(saId);
        assertThat(summary.path("actor").path("name").asText()).isEqualTo("hammer");
        assertThat(summary.path("subject").path("type").asText()).isEqualTo("service_account");
        assertThat(summary.path("subject").path("id").asText()).isEqualTo(saId);
        assertThat(summary.path("clientIp").asText()).isEqualTo("127.0.0.1");
        JsonNode details = summary.path("details");
        assertThat(details.path("recorded").asInt()).isEqualTo(10);
        assertThat(details.path("rules").path("token-revoked").asInt()).isEqualTo(details.path("count").asInt());
        assertThat(Instant.parse(details.path("windowEnd").asText()))
                .isEqualTo(Instant.parse(details.path("windowStart").asText()).plus(WINDOW));

        JsonNode timeline = api.query("GET", serviceAccounts(WS) + "/" + saId + "/timeline").token(admin).send()
                .expect(200).json();
        assertThat(Json.items(timeline)).as("the account's timeline").anySatisfy(entry ->
                assertThat(entry.path("type").asText()).isEqualTo("access.refusals_not_recorded"));
        String export = api.query("GET", "/v1/workspaces/" + WS + "/audit/export").param("format", "ndjson")
                .param("type", "access.refusals_not_recorded").token(admin).send().expect(200).body();
        assertThat(export.lines()).anySatisfy(line -> assertThat(line).contains(tokenId, "\"count\":"
                + details.path("count").asInt()));
    }

    @Test
    void aMemberRefusedInOneWorkspace_isSummedUpThere_andStillRecordedInAnother() {
        String otherAdmin = api.createWorkspace("summaries-b", "alice").path("token").path("secret").asText();
        String eveHere = api.addMember(WS, admin, "eve", "member").path("token").path("secret").asText();
        String eveThere =
                api.addMember("summaries-b", otherAdmin, "eve", "member").path("token").path("secret").asText();

        for (int i = 0; i < 25; i++) {
            api.command("POST", serviceAccounts("summaries-b")).token(eveThere).json(Map.of("name", "bot-" + i))
                    .send().expectProblem(403, "workspace-admin-required");
        }
        api.command("POST", serviceAccounts(WS)).token(eveHere).header("X-Request-Id", "eve-escalates")
                .json(Map.of("name", "eves-bot")).send().expectProblem(403, "workspace-admin-required");

        Eventually.untilAsserted(() -> assertThat(trail(WS, admin, Map.of("actor", "eve")))
                .as("eve's attempt here, although she spent ten elsewhere").anySatisfy(entry ->
                        assertThat(entry.path("correlationId").asText()).isEqualTo("eve-escalates")));
        Eventually.untilAsserted(SUMMED_UP, () -> {
            List<JsonNode> recorded =
                    trail("summaries-b", otherAdmin, Map.of("type", "access.refused", "actor", "eve"));
            List<JsonNode> summaries = trail("summaries-b", otherAdmin,
                    Map.of("type", "access.refusals_not_recorded", "actor", "eve"));
            assertThat(summaries).isNotEmpty().allSatisfy(entry -> assertThat(entry.path("details").path("rules")
                    .path("workspace-admin-required").asInt()).isEqualTo(entry.path("details").path("count").asInt()));
            assertThat(recorded.size() + counted(summaries)).as("recorded and summed up").isEqualTo(25);
        });
        assertThat(trail(WS, admin, Map.of("type", "access.refusals_not_recorded", "actor", "eve")))
                .as("nothing skipped here").isEmpty();
    }

    @Test
    void aNodeStopping_writesTheSummaryOfItsOpenWindow() {
        ConfigurableApplicationContext node = RunningSystem.startCommandSide(database,
                "--svcaccounts.refusals.window=10m");
        Api viaNode = new Api(RunningSystem.baseUrl(node), queryUrl, RunningSystem.OPERATOR_TOKEN);
        JsonNode sa = api.createServiceAccount(WS, admin, "stopping");
        String tokenId = sa.path("token").path("id").asText();
        api.revokeToken(WS, admin, sa.path("id").asText(), tokenId);
        try {
            for (int i = 0; i < 14; i++) {
                Probe.commandSide(viaNode, WS, sa.path("token").path("secret").asText()).expect(401);
            }
        } finally {
            node.close();
        }

        JsonNode details = summedUp(Map.of("token", tokenId), 14).get(0).path("details");
        assertThat(details.path("count").asInt()).isEqualTo(4);
        assertThat(Instant.parse(details.path("windowEnd").asText())).as("cut short at the stop")
                .isBefore(Instant.parse(details.path("windowStart").asText()).plus(Duration.ofMinutes(10)));
    }

    @Test
    void aNodeKilled_leavesWhatItHadCounted_andAnotherNodeWritesTheSummary() {
        JdbcTemplate jdbc = database.jdbc();
        Path logs = Path.of(System.getProperty("basedir", "")).toAbsolutePath()
                .resolve("target/refusal-summaries-logs");
        NodeProcess doomed = NodeProcess.start("command-killed", NodeProcess.Kind.COMMAND, logs, Map.of(
                "DATABASE_URL", database.url(), "DATABASE_USER", database.user(),
                "DATABASE_PASSWORD", database.password(),
                "SVCACCOUNTS_REFUSALS_WINDOW", DOOMED_WINDOW.toSeconds() + "s",
                "SVCACCOUNTS_REFUSALS_SAVE_INTERVAL", "200ms"));
        try {
            doomed.awaitHealthy(Duration.ofMinutes(3));
            Api viaDoomed = new Api(doomed.baseUrl(), queryUrl, RunningSystem.OPERATOR_TOKEN);
            JsonNode sa = api.createServiceAccount(WS, admin, "killed-midway");
            String tokenId = sa.path("token").path("id").asText();
            // the window opens at the first refusal and must still be open at the kill: what a new JVM does slowly
            // (its first requests, its first refusal, its first save) is done before, on another key
            JsonNode warmUp = api.createServiceAccount(WS, admin, "warming-up");
            api.revokeToken(WS, admin, warmUp.path("id").asText(), warmUp.path("token").path("id").asText());
            for (int i = 0; i < 11; i++) {
                Probe.commandSide(viaDoomed, WS, warmUp.path("token").path("secret").asText()).expect(401);
            }
            Eventually.untilAsserted(Duration.ofSeconds(30), () -> assertThat(jdbc.queryForObject(
                    "SELECT count(*) FROM command_side.refusal_skip WHERE limit_key = ?", Integer.class,
                    WS + " token " + warmUp.path("token").path("id").asText())).isOne());
            api.revokeToken(WS, admin, sa.path("id").asText(), tokenId);
            for (int i = 0; i < 13; i++) {
                Probe.commandSide(viaDoomed, WS, sa.path("token").path("secret").asText()).expect(401);
            }
            Eventually.untilAsserted(Duration.ofSeconds(20), () -> assertThat(jdbc.queryForList(
                    "SELECT summary FROM command_side.refusal_skip WHERE limit_key = ?", String.class,
                    WS + " token " + tokenId)).singleElement().asString().contains("\"count\":3"));
            Instant windowEnd = jdbc.queryForObject("SELECT window_end FROM command_side.refusal_skip "
                    + "WHERE limit_key = ?", Timestamp.class, WS + " token " + tokenId).toInstant();
            doomed.kill();
            assertThat(Instant.now()).as("killed while its window was open").isBefore(windowEnd);

            // its window ends, 2 s later the other nodes see it as a dead node's and one writes its summary
            JsonNode summary = summedUp(Map.of("token", tokenId), 13, DOOMED_WINDOW.plus(SUMMED_UP)).get(0);
            assertThat(summary.path("details").path("count").asInt()).isEqualTo(3);
            assertThat(summary.path("actor").path("id").asText()).isEqualTo(sa.path("id").asText());
            assertThat(jdbc.queryForObject("SELECT count(*) FROM command_side.refusal_skip WHERE limit_key = ?",
                    Integer.class, WS + " token " + tokenId)).as("taken over once").isZero();
        } finally {
            doomed.close();
        }
    }

    /**
     * The summaries in the trail matching {@code filters}, once they and the refusals recorded one by one account for
     * all {@code attempts}.
     */
    private static List<JsonNode> summedUp(Map<String, String> filters, int attempts) {
        return summedUp(filters, attempts, SUMMED_UP);
    }

    private static List<JsonNode> summedUp(Map<String, String> filters, int attempts, Duration atMost) {
        Map<String, String> summaries = new HashMap<>(filters);
        summaries.put("type", "access.refusals_not_recorded");
        Map<String, String> refusals = new HashMap<>(filters);
        refusals.put("type", "access.refused");
        Eventually.untilAsserted(atMost, () -> {
            List<JsonNode> found = trail(WS, admin, summaries);
            assertThat(found).isNotEmpty();
            assertThat(trail(WS, admin, refusals).size() + counted(found)).as("recorded and summed up")
                    .isEqualTo(attempts);
        });
        return trail(WS, admin, summaries);
    }

    private static int counted(List<JsonNode> summaries) {
        return summaries.stream().mapToInt(entry -> entry.path("details").path("count").asInt()).sum();
    }

    private static List<JsonNode> trail(String ws, String token, Map<String, String> filters) {
        Map<String, String> params = new HashMap<>(filters);
        params.put("limit", "500");
        return Json.items(api.audit(ws, token, params).expect(200).json());
    }
}
