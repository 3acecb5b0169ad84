package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.FromAddress;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.TestDatabases;
import dev.svcaccounts.system.support.ThrottleWindows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing is slowed down: failed authentications are counted per client address across all nodes of both sides,
 * and an address that failed too often gets 429 with Retry-After, without its token being looked at, except a token
 * that has worked on that node before (so the other clients behind one NAT keep working, and a guesser learns
 * nothing). Here 8 failures in a window of an hour (the default is 100 a minute); each test is its own client
 * address (127.0.0.x), the nodes share their counts every 200 ms.
 */
class FailedAuthenticationThrottleIT {

    private static final int LIMIT = 8;
    private static final String WS = "guessing";
    private static final String[] SETTINGS = ThrottleWindows.settings("failed-authentications", LIMIT);

    private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private static String command1;
    private static String command2;
    private static String query;
    private static Api api;
    private static String admin;

    @BeforeAll
    static void start() {
        Database database = TestDatabases.fresh("failed-authentications");
        command1 = start(RunningSystem.startCommandSide(database, SETTINGS));
        query = start(RunningSystem.startQuerySide(database, SETTINGS));
        command2 = start(RunningSystem.startCommandSide(database, SETTINGS));
        api = new Api(command1, query, RunningSystem.OPERATOR_TOKEN);
        admin = api.createWorkspace(WS, "alice").path("token").path("secret").asText();
    }

    private static String start(ConfigurableApplicationContext node) {
        nodes.add(0, node);
        return RunningSystem.baseUrl(node);
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
    void anAddressGuessingTokens_gets429_withoutItsTokensBeingLookedAt_whileOtherAddressesAndKnownTokensPass() {
        FromAddress guesser = new FromAddress("127.0.0.11");
        FromAddress neighbour = new FromAddress("127.0.0.12");
        JsonNode account = api.createServiceAccount(WS, admin, "pipeline");
        String working = account.path("token").path("secret").asText(); // worked on command node 1 below
        assertThat(write(guesser, command1, working).status()).isEqualTo(403);
        String neverUsed = api.issueToken(WS, admin, account.path("id").asText()).path("secret").asText();

        for (int i = 0; i < LIMIT; i++) {
            assertThat(write(guesser, command1, guess()).status()).as("guess " + i).isEqualTo(401);
        }
        Response throttled = write(guesser, command1, guess());
        throttled.expectProblem(429, "too-many-failed-authentications");
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, ThrottleWindows.WINDOW.toSeconds());
        assertThat(throttled.header("WWW-Authenticate")).isNull();

        Response unknownToThisNode = write(guesser, command1, neverUsed);
        assertThat(unknownToThisNode.status()).as("a valid token new to this node: no hint either way").isEqualTo(429);
        assertThat(unknownToThisNode.problemCode()).isEqualTo(throttled.problemCode());
        assertThat(write(guesser, command1, working).status()).as("a token that worked here passes").isEqualTo(403);
        assertThat(write(guesser, command1, null).status()).as("no token at all: nothing guessed").isEqualTo(401);

        assertThat(write(neighbour, command1, guess()).status()).as("another address").isEqualTo(401);
        assertThat(write(neighbour, command1, neverUsed).status()).isEqualTo(403);
    }

    /** Failures on one side and node count on the others: the query side and the other command node block too. */
    @Test
    void failuresCount_acrossNodesAndSides() throws InterruptedException {
        FromAddress guesser = new FromAddress("127.0.0.13");
        List<Integer> statuses = new ArrayList<>();
        String[] nodesInTurn = {command1, command2, query};
        for (int i = 0; i < 3 * LIMIT; i++) {
            String node = nodesInTurn[i % 3];
            statuses.add(node.equals(query)
                    ? read(guesser, node, guess()).status()
                    : write(guesser, node, guess()).status());
            // what a node learns from the others comes with each sync
            Thread.sleep(ThrottleWindows.SYNC_INTERVAL.toMillis());
        }
        assertThat(statuses).containsOnly(401, 429);
        assertThat(statuses.stream().filter(status -> status == 401).count())
                .as("guesses answered at all, by three nodes together: %s", statuses)
                .isBetween((long) LIMIT, LIMIT + 6L);
        assertThat(statuses.subList(statuses.size() - 3, statuses.size())).as("the last on each node")
                .containsOnly(429);
    }

    /**
     * Wrong client secrets at {@code /v1/introspect} count like invalid tokens, and a throttled address gets 429 there
     * too, before the client is looked at; a client that authenticated on that node before still passes.
     */
    @Test
    void failedClientAuthentications_countLikeInvalidTokens_andAreThrottledLikeThem() {
        FromAddress guesser = new FromAddress("127.0.0.14");
        JsonNode client = api.registerIntrospectionClient("throttled-gateway");
        String clientId = client.path("client_id").asText();
        String good = Api.basic(clientId, client.path("client_secret").asText());
        assertThat(guesser.postForm(query, "/v1/introspect", good, "token=" + admin).status()).isEqualTo(200);
        for (int i = 0; i < LIMIT; i++) {
            String wrong = Api.basic(clientId, TokenSecret.generate(TokenSecret.INTROSPECTION_CLIENT_PREFIX));
            Response refused = guesser.postForm(query, "/v1/introspect", wrong, "token=" + admin);
            assertThat(refused.status()).as("guess " + i).isEqualTo(401);
        }
        String wrongPosted = "client_id=" + clientId + "&client_secret="
                + TokenSecret.generate(TokenSecret.INTROSPECTION_CLIENT_PREFIX) + "&token=" + admin;
        guesser.postForm(query, "/v1/introspect", null, wrongPosted)
                .expectProblem(429, "too-many-failed-authentications");
        guesser.postForm(query, "/v1/introspect", Api.basic(clientId, TokenSecret.generate(
                TokenSecret.INTROSPECTION_CLIENT_PREFIX)), "token=" + admin)
                .expectProblem(429, "too-many-failed-authentications");
        Eventually.untilAsserted(Duration.ofSeconds(10), () -> assertThat(write(guesser, command1, guess()).status())
                .as("the same address, a bearer guess on the command side once the counts are shared").isEqualTo(429));
        assertThat(guesser.postForm(query, "/v1/introspect", good, "token=" + admin).status())
                .as("the client that worked on this node passes").isEqualTo(200);
    }

    /** A request that changes nothing: 403 for a service account, 401 for a token that is not valid. */
    private static Response write(FromAddress from, String node, String token) {
        return from.send(node, "PATCH", serviceAccounts(WS) + "/00000000-0000-0000-0000-000000000000", token,
                "{\"description\":\"probe\"}");
    }

    private static Response read(FromAddress from, String node, String token) {
        return from.send(node, "GET", serviceAccounts(WS), token, null);
    }

    /** A well-formed token nobody was given: a guess. */
    private static String guess() {
        return TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX);
    }
}
