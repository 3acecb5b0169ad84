package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Parallel;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static dev.svcaccounts.system.support.Api.projects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A client that lost the answer to a create retries it safely, on any node, with its {@code Idempotency-Key}: two
 * command nodes; the client gives up before the first node answers (the test holds a lock that stops the first
 * request just before it commits) and retries on the other node. Whether the first request then commits or its
 * node dies, there is exactly one project and one set of events, and the retry's answer is the one the first
 * would have been. A retry while the first is still running is 409 (the draft's "in flight"), whatever the node.
 */
class LostAnswerRetryIT {

    private static final String KEY = "Idempotency-Key";
    private static final String BLOCKED_KEY_INSERT = "SELECT pid FROM pg_stat_activity "
            + "WHERE datname = current_database() AND wait_event_type = 'Lock' "
            + "AND query LIKE 'INSERT INTO command_side.idempotency_key%'";

    /**
     * The client that loses the answer: its write is held by the test's lock, so it times out whatever the machine's
     * speed. Every other request has the harness's usual timeout: a second is not enough on a loaded machine for a
     * write that is answered (a 409 while the first runs, the retry itself).
     */
    private static final Duration GIVES_UP_AFTER = Duration.ofSeconds(1);

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("lost_answer");
    private static Api first;
    private static Api second;
    private static Workspaces workspaces;

    @BeforeAll
    static void setUp() {
        first = system.api();
        second = system.addCommandNode();
        workspaces = new Workspaces(first);
    }

    @Test
    void theClientGivesUp_retriesOnTheOtherNode_gets409WhileTheFirstRuns_thenTheFirstAnswer() throws Exception {
        Principal admin = workspaces.fresh("lost");
        String key = IdempotentWritesIT.newKey();
        Api.Request create = createProject(first, admin, key).timeout(GIVES_UP_AFTER);

        try (Connection lock = lockKeyTable()) {
            assertThatThrownBy(create::send).as("the client gives up").isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(HttpTimeoutException.class);
            long blocked = blockedKeyInsert();

            Response inFlight = createProject(second, admin, key).send().expectProblem(409, "idempotency-key-in-use");
            assertThat(inFlight.header("Retry-After")).isEqualTo("1");
            assertThat(createProject(first, admin, key).send().status()).isEqualTo(409);
            assertThat(blockedKeyInsert()).as("the first request, still waiting").isEqualTo(blocked);
            lock.rollback();
        }

        AtomicReference<Response> retried = new AtomicReference<>();
        Eventually.untilAsserted(() -> retried.set(createProject(second, admin, key).send().expect(201)));
        assertTheAnswerOfTheCreate(retried.get(), admin);
        assertThat(retried.get().header("Idempotent-Replayed")).as("the first request's answer").isEqualTo("true");
        assertCreatedOnce(admin.ws());
    }

    @Test
    void theFirstNodeDiesBeforeCommitting_theRetryOnTheOtherNodeCarriesItOutOnce() throws Exception {
        Principal admin = workspaces.fresh("crash");
        String key = IdempotentWritesIT.newKey();

        try (Connection lock = lockKeyTable()) {
            assertThatThrownBy(createProject(first, admin, key).timeout(GIVES_UP_AFTER)::send).as("the client gives up")
                    .hasCauseInstanceOf(HttpTimeoutException.class);
            long blocked = blockedKeyInsert();
            // as PostgreSQL sees a node that dies: its connection goes, and its transaction with it
            assertThat(system.database().jdbc().queryForObject("SELECT pg_terminate_backend(?)", Boolean.class,
                    (int) blocked)).isTrue();
            lock.rollback();
        }

        Response retried = createProject(second, admin, key).send().expect(201);
        assertTheAnswerOfTheCreate(retried, admin);
        assertThat(retried.header("Idempotent-Replayed")).as("carried out by the retry").isNull();
        assertCreatedOnce(admin.ws());
        IdempotentWritesIT.assertSameAnswer(createProject(first, admin, key).send(), retried);
    }

    @Test
    void retriesRacingOnBothNodes_carryTheWriteOutOnce_andAllGetItsAnswerOr409() throws Exception {
        Principal admin = workspaces.fresh("race");
        String key = IdempotentWritesIT.newKey();

        List<Response> responses = Parallel.send(8, 16, i -> createProject(i % 2 == 0 ? first : second, admin, key)
                .timeout(Duration.ofSeconds(30)));

        List<Response> created = responses.stream().filter(r -> r.status() == 201).toList();
        assertThat(created).as("answered 201").isNotEmpty();
        assertThat(responses).allSatisfy(r -> {
            if (r.status() != 201) {
                r.expectProblem(409, "idempotency-key-in-use");
            }
        });
        assertThat(created.stream().map(Response::body).distinct()).as("one answer").hasSize(1);
        assertTheAnswerOfTheCreate(created.get(0), admin);
        assertCreatedOnce(admin.ws());
    }

    /** The header costs nothing when absent: not one statement on the keys (nor their lock). */
    @Test
    void aWriteWithoutTheHeader_neverTouchesTheKeys_itGoesThroughWhileTheirTableIsLocked() throws Exception {
        Principal admin = workspaces.fresh("no-key");
        try (Connection lock = lockKeyTable("ACCESS EXCLUSIVE")) {
            for (Api api : List.of(first, second)) {
                String project = api == first ? "one" : "two";
                api.command("POST", projects(admin.ws())).token(admin.token()).timeout(Duration.ofSeconds(30))
                        .json(Map.of("key", project, "name", project)).send().expect(201);
                api.command("DELETE", Api.project(admin.ws(), project)).token(admin.token())
                        .timeout(Duration.ofSeconds(30)).send().expect(204);
            }
            lock.rollback();
        }
    }

    private static Api.Request createProject(Api api, Principal admin, String key) {
        return api.command("POST", projects(admin.ws())).token(admin.token()).header(KEY, key)
                .json(Map.of("key", "model", "name", "Model", "visibility", "workspace"));
    }

    /** What creating the project answers, the first time as on any retry. */
    private static void assertTheAnswerOfTheCreate(Response response, Principal admin) {
        assertThat(response.header("Location")).isEqualTo(Api.project(admin.ws(), "model"));
        JsonNode expected = Api.JSON.valueToTree(Map.of("key", "model", "name", "Model", "visibility", "workspace",
                "createdBy", Map.of("type", "user", "id", admin.id()), "role", "owner"));
        assertThat(response.json()).isEqualTo(expected);
    }

    /** One project, created once with its owner's role, and one key. */
    private static void assertCreatedOnce(String ws) {
        List<String> types = system.database().jdbc().queryForList("SELECT payload_type FROM "
                + "command_side.domain_event_entry WHERE aggregate_identifier = ? AND sequence_number > 2 "
                + "ORDER BY sequence_number", String.class, ws);
        assertThat(types).as("events after the workspace's creation").containsExactly(
                "dev.svcaccounts.events.ProjectCreatedEvent", "dev.svcaccounts.events.ProjectRoleAssignedEvent");
        assertThat(system.database().jdbc().queryForObject("SELECT count(*) FROM command_side.idempotency_key "
                + "WHERE workspace_id = ?", Long.class, ws)).isEqualTo(1);
    }

    /** Holds a lock that stops every keyed write just before it commits, until the connection's rollback. */
    private static Connection lockKeyTable() throws Exception {
        return lockKeyTable("EXCLUSIVE");
    }

    private static Connection lockKeyTable(String mode) throws Exception {
        Connection connection = system.database().dataSource().getConnection();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLE command_side.idempotency_key IN " + mode + " MODE");
        }
        return connection;
    }

    /** The backend of the keyed write waiting for the test's lock, once there is one. */
    private static long blockedKeyInsert() {
        AtomicReference<Long> pid = new AtomicReference<>();
        Eventually.untilAsserted(() -> {
            List<Long> pids = system.database().jdbc().queryForList(BLOCKED_KEY_INSERT, Long.class);
            assertThat(pids).as("keyed writes waiting for the lock").hasSize(1);
            pid.set(pids.get(0));
        });
        return pid.get();
    }
}
