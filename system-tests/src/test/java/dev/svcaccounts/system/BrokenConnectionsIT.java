package dev.svcaccounts.system;

import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.FaultProxy;
import dev.svcaccounts.system.support.FaultProxy.When;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection to PostgreSQL that breaks in the middle of a request (the server killed or restarted, a backend
 * terminated, the network cut) is an outage, whichever statement it breaks at: the request is answered 503 with
 * {@code Retry-After}, never 500, and the next request works on a new connection. Each case cuts one connection
 * with {@link FaultProxy} exactly when the application sends the statement named, before the server gets it or
 * before its answer comes back.
 *
 * <p>The one case where the client cannot know what happened is a connection that breaks during COMMIT: the
 * answer is {@code commit-outcome-unknown}, and the test shows both outcomes behind it (rolled back, committed).
 */
class BrokenConnectionsIT {

    private static final String UNAVAILABLE = "database-unavailable";
    private static final String OUTCOME_UNKNOWN = "commit-outcome-unknown";
    private static final AtomicInteger WORKSPACES = new AtomicInteger();

    private static FaultProxy commandProxy;
    private static FaultProxy queryProxy;
    private static ConfigurableApplicationContext commandSide;
    private static ConfigurableApplicationContext querySide;
    private static Api api;

    @BeforeAll
    static void start() {
        Database database = TestDatabases.fresh("broken_connections");
        int port = URI.create(database.url().substring("jdbc:".length())).getPort();
        commandProxy = FaultProxy.to(port);
        queryProxy = FaultProxy.to(port);
        // one cached workspace: a command on a workspace other than the last one loads it from the event store
        commandSide = RunningSystem.startCommandSide(commandProxy.database(database),
                "--svcaccounts.workspace-cache.entries=1");
        querySide = RunningSystem.startQuerySide(queryProxy.database(database));
        api = new Api(RunningSystem.baseUrl(commandSide), RunningSystem.baseUrl(querySide),
                RunningSystem.OPERATOR_TOKEN);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[]{querySide, commandSide, queryProxy, commandProxy}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // the next one still closes
            }
        }
    }

    /**
     * A statement of a command, where its connection breaks; whether the workspace is loaded from the event store
     * (not cached); the problem expected; whether the command took effect after all; and the name of the account
     * the command creates ({@code warm-up}, already taken: a refusal).
     */
    record CommandCut(String name, String statement, When when, boolean uncached, String code, boolean applied,
                      String account) {

        CommandCut(String name, String statement, When when, boolean uncached, String code, boolean applied) {
            this(name, statement, when, uncached, code, applied, "during");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<CommandCut> commandCuts() {
        return List.of(
                new CommandCut("authentication", "t.secret_hash", When.BEFORE_THE_SERVER_GETS_IT, false,
                        UNAVAILABLE, false),
                new CommandCut("snapshot read of a workspace loaded from the store",
                        "FROM command_side.snapshot_event_entry", When.BEFORE_THE_SERVER_GETS_IT, true, UNAVAILABLE,
                        false),
                new CommandCut("event read of a workspace loaded from the store",
                        "FROM command_side.domain_event_entry WHERE aggregate_identifier",
                        When.BEFORE_THE_SERVER_GETS_IT, true, UNAVAILABLE, false),
                // a refusal decided on a cached copy is checked against the store before it is answered
                new CommandCut("check of a refusal decided on a cached workspace",
                        "FROM command_side.domain_event_entry WHERE aggregate_identifier", When.BEFORE_THE_ANSWER,
                        false, UNAVAILABLE, false, "warm-up"),
                new CommandCut("event append", "INSERT INTO command_side.domain_event_entry",
                        When.BEFORE_THE_SERVER_GETS_IT, false, UNAVAILABLE, false),
                new CommandCut("credential update", "INSERT INTO command_side.auth_principal", When.BEFORE_THE_ANSWER,
                        false, UNAVAILABLE, false),
                new CommandCut("COMMIT that never reached the server", "COMMIT", When.BEFORE_THE_SERVER_GETS_IT, false,
                        OUTCOME_UNKNOWN, false),
                new CommandCut("COMMIT whose answer was lost", "COMMIT", When.BEFORE_THE_ANSWER, false,
                        OUTCOME_UNKNOWN, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandCuts")
    void aCommandWhoseConnectionBreaks_isAnswered503_andTheNextOneSucceeds(CommandCut cut) {
        String ws = "broken" + WORKSPACES.incrementAndGet();
        String admin = api.createWorkspace(ws, "ada").path("token").path("secret").asText();
        if (cut.uncached()) {
            api.createWorkspace("broken" + WORKSPACES.incrementAndGet(), "ada"); // now the only one cached
        } else {
            api.createServiceAccount(ws, admin, "warm-up"); // cached, at its current version
        }

        CountDownLatch cutDone = commandProxy.cutOnce(cut.statement(), cut.when());
        Response answer;
        try {
            answer = api.command("POST", Api.serviceAccounts(ws)).token(admin).json(Map.of("name", cut.account()))
                    .send();
            FaultProxy.awaitCut(cutDone, Duration.ofSeconds(30));
        } finally {
            commandProxy.disarm();
        }

        answer.expectProblem(503, cut.code());
        assertThat(answer.header("Retry-After")).as(answer.toString()).isNotNull();
        if (cut.code().equals(OUTCOME_UNKNOWN)) {
            assertThat(answer.detail()).as("tells the client to check, or to retry with its Idempotency-Key")
                    .containsIgnoringCase("check").contains("Idempotency-Key");
        }
        // the next request works, and shows whether the command took effect: the name is taken if it did
        Response again = api.command("POST", Api.serviceAccounts(ws)).token(admin).json(Map.of("name", "during"))
                .send();
        assertThat(again.status()).as(again.toString()).isEqualTo(cut.applied() ? 409 : 201);
    }

    /** A statement of a read on the query side, where its connection breaks. */
    record QueryCut(String name, String statement) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<QueryCut> queryCuts() {
        return List.of(
                new QueryCut("authentication", "t.secret_hash"),
                new QueryCut("read model query", "AS active_tokens"),
                new QueryCut("introspection", "pr.name AS project_name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queryCuts")
    void aReadWhoseConnectionBreaks_isAnswered503_andTheNextOneSucceeds(QueryCut cut) {
        String ws = "broken" + WORKSPACES.incrementAndGet();
        String admin = api.createWorkspace(ws, "ada").path("token").path("secret").asText();
        Api.Request read = cut.name().equals("introspection")
                ? api.query("POST", "/v1/introspect").token(api.operatorToken()).form(Map.of("token", admin))
                : api.query("GET", Api.serviceAccounts(ws)).token(admin);

        CountDownLatch cutDone = queryProxy.cutOnce(cut.statement(), When.BEFORE_THE_SERVER_GETS_IT);
        Response answer;
        try {
            answer = read.send();
            FaultProxy.awaitCut(cutDone, Duration.ofSeconds(30));
        } finally {
            queryProxy.disarm();
        }

        answer.expectProblem(503, UNAVAILABLE);
        assertThat(answer.header("Retry-After")).as(answer.toString()).isNotNull();
        assertThat(read.send().status()).isEqualTo(200);
    }
}
