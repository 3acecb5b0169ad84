package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.TestDatabases;
import dev.svcaccounts.system.support.ThrottleWindows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.svcaccounts.system.support.Api.projects;
import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limit on writes: per principal of a workspace, across command nodes, 429 with Retry-After and a
 * {@code rate-limited} problem beyond it. Here 20 writes in a window of an hour (the default is 600 a minute),
 * the nodes sharing their counts every 200 ms (default: every second); each test counts within one window.
 */
class WriteRateLimitIT {

    private static final int LIMIT = 20;
    private static final String[] SETTINGS = ThrottleWindows.settings("writes", LIMIT);

    private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private static Api node1;
    private static Api node2;

    @BeforeAll
    static void start() {
        Database database = TestDatabases.fresh("write-rate-limit");
        ConfigurableApplicationContext command1 = start(RunningSystem.startCommandSide(database, SETTINGS));
        ConfigurableApplicationContext query = start(RunningSystem.startQuerySide(database, SETTINGS));
        ConfigurableApplicationContext command2 = start(RunningSystem.startCommandSide(database, SETTINGS));
        node1 = new Api(RunningSystem.baseUrl(command1), RunningSystem.baseUrl(query), RunningSystem.OPERATOR_TOKEN);
        node2 = new Api(RunningSystem.baseUrl(command2), RunningSystem.baseUrl(query), RunningSystem.OPERATOR_TOKEN);
    }

    private static ConfigurableApplicationContext start(ConfigurableApplicationContext node) {
        nodes.add(0, node);
        return node;
    }

    @BeforeEach
    void withinOneWindow() {
        ThrottleWindows.awaitRoom();
    }

    @AfterAll
    static void stop() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aPrincipalWritingTooFast_gets429WithRetryAfter_andTheWriteIsNotDone() {
        String alice = admin(node1.createWorkspace("rl-burst", "alice"));
        String bob = node1.addMember("rl-burst", alice, "bob", "member").path("token").path("secret").asText();
        for (int i = 1; i < LIMIT; i++) { // the member above was the first write
            node1.createProject("rl-burst", alice, "p-" + i, "private");
        }

        Response refused = createProject(node1, "rl-burst", alice, "one-too-many");

        refused.expectProblem(429, "rate-limited");
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).as("seconds until the sliding count is below the limit")
                .isBetween(1L, ThrottleWindows.WINDOW.toSeconds());
        assertThat(refused.json().path("retryAfterSeconds").asLong()).isEqualTo(retryAfter);
        assertThat(refused.json().path("limit").asInt()).isEqualTo(LIMIT);
        assertThat(refused.json().path("windowSeconds").asLong()).isEqualTo(ThrottleWindows.WINDOW.toSeconds());
        assertThat(refused.detail()).contains("workspace 'rl-burst'");
        assertThat(node1.getProject("rl-burst", alice, "one-too-many").status()).as("not created").isEqualTo(404);

        assertThat(node1.listServiceAccounts("rl-burst", alice).status()).as("reads are not limited").isEqualTo(200);
        assertThat(createProject(node1, "rl-burst", bob, "bobs").status()).as("another principal").isEqualTo(201);
        assertThat(node1.command("DELETE", "/v1/workspaces/rl-burst/projects/p-1").token(alice).send().status())
                .as("any write method counts").isEqualTo(429);
    }

    @Test
    void theSameUsernameInAnotherWorkspace_hasABudgetOfItsOwn_andTheOperatorIsNotLimited() {
        String carol = admin(node1.createWorkspace("rl-first", "carol"));
        for (int i = 0; i < LIMIT; i++) {
            createProject(node1, "rl-first", carol, "p-" + i).expect(201);
        }
        createProject(node1, "rl-first", carol, "late").expectProblem(429, "rate-limited");

        String otherCarol = admin(node1.createWorkspace("rl-second", "carol"));
        createProject(node1, "rl-second", otherCarol, "fine").expect(201);

        for (int i = 0; i < LIMIT + 5; i++) { // POST /v1/workspaces, the operator's write
            node1.createWorkspace("rl-operator-" + i, "admin");
        }
    }

    /**
     * Writes alternating between two command nodes: together they let about the limit through, not twice it. Each
     * attempt is a write refused with 400 (it counts all the same), so that nothing but the count grows.
     */
    @Test
    void twoCommandNodes_shareOneLimit() throws InterruptedException {
        String dave = admin(node1.createWorkspace("rl-shared", "dave"));
        int accepted = 0;
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 2 * LIMIT; i++) {
            Api node = i % 2 == 0 ? node1 : node2;
            int status = node.command("POST", serviceAccounts("rl-shared")).token(dave).json(Map.of()).send().status();
            statuses.add(status);
            accepted += status == 400 ? 1 : 0;
            // what a node learns from the others comes with each sync
            Thread.sleep(ThrottleWindows.SYNC_INTERVAL.toMillis());
        }
        assertThat(statuses).as("answered 400 (accepted, then refused for its empty body) or 429")
                .containsOnly(400, 429);
        assertThat(accepted).as("writes let through by both nodes together: %s", statuses)
                .isBetween(LIMIT, LIMIT + 6);
        assertThat(statuses.subList(statuses.size() - 2, statuses.size())).as("the last on each node")
                .containsOnly(429);
    }

    private static Response createProject(Api api, String ws, String token, String key) {
        return api.command("POST", projects(ws)).token(token)
                .json(Map.of("key", key, "name", "Project " + key, "visibility", "private")).send();
    }

    private static String admin(JsonNode createdWorkspace) {
        return Json.text(createdWorkspace.path("token"), "secret");
    }
}
