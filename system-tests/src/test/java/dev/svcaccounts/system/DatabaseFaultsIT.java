package dev.svcaccounts.system;

import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.PersistentPostgres;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL failing in the ways a production database does, each raised by the real server so that the real
 * error travels the real stack (driver, pool, Axon, Spring): a full disk (SQLSTATE 53100), no memory (53200),
 * no free connection slot (53300), a backend terminated while it commits (57P01 at COMMIT). Each is a 503 with
 * its own problem code and {@code Retry-After}, never a 500; reads keep working where the database still serves
 * them; the log names the database's error; all works again once the fault is gone.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseFaultsIT {

    /** PostgreSQL's own message for a full disk, as a write meets it. */
    private static final String DISK_FULL = "could not extend file \"base/16384/16397\": No space left on device";
    private static final AtomicInteger WORKSPACES = new AtomicInteger();

    private static PersistentPostgres postgres;
    private static Database superuser;
    private static Database database;
    private static RunningSystem system;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        postgres = new PersistentPostgres();
        postgres.start();
        // the applications connect as a role of their own (not a superuser), whose connections can be limited
        superuser = postgres.database("postgres");
        superuser.jdbc().execute("CREATE ROLE svcaccounts LOGIN PASSWORD 'svcaccounts'");
        superuser.jdbc().execute("CREATE DATABASE faults OWNER svcaccounts");
        database = new Database(postgres.database("faults").url(), "svcaccounts", "svcaccounts");
        system = RunningSystem.start(database);
        api = system.api();
    }

    @AfterAll
    static void stop() throws Exception {
        if (system != null) {
            system.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void removeFaults() {
        database.jdbc().execute("DROP TRIGGER IF EXISTS fault ON command_side.domain_event_entry");
    }

    @Test
    void aFullDisk_refusesEveryWriteWith503StorageFull_readsKeepWorking_andTheLogSaysSo(CapturedOutput output) {
        String ws = "faults" + WORKSPACES.incrementAndGet();
        String admin = api.createWorkspace(ws, "ada").path("token").path("secret").asText();
        String account = api.createServiceAccount(ws, admin, "before").path("id").asText();
        raiseOnAppend("'" + DISK_FULL.replace("\"", "\"\"") + "'", "53100");

        List<Response> writes = List.of(
                api.command("POST", Api.serviceAccounts(ws)).token(admin).json(Map.of("name", "during")).send(),
                api.command("POST", Api.tokens(ws, account)).token(admin).send(),
                api.command("POST", "/v1/workspaces").token(api.operatorToken())
                        .json(Map.of("id", ws + "-new", "name", "New", "admin", Map.of("username", "ada"))).send());
        assertThat(writes).allSatisfy(write -> {
            write.expectProblem(503, "storage-full");
            assertThat(write.header("Retry-After")).as(write.toString()).isNotNull();
        });
        assertThat(output.getOut()).as("the log names the real cause")
                .contains("out of storage space").contains("SQLSTATE 53100").contains("No space left on device")
                .doesNotContain("was already inserted").doesNotContain("Cannot reuse aggregate identifier");

        Eventually.read(() -> api.listServiceAccounts(ws, admin),
                json -> assertThat(json.path("items").findValuesAsText("name")).containsExactly("before"));
        assertThat(api.me(admin).status()).isEqualTo(200);
        assertThat(api.introspect(admin).path("active").asBoolean()).isTrue();

        removeFaults();
        api.createServiceAccount(ws, admin, "after");
    }

    @Test
    void outOfMemory_is503DatabaseOverloaded() {
        String ws = "faults" + WORKSPACES.incrementAndGet();
        String admin = api.createWorkspace(ws, "ada").path("token").path("secret").asText();
        raiseOnAppend("'out of memory'", "53200");

        Response write = api.command("POST", Api.serviceAccounts(ws)).token(admin).json(Map.of("name", "x")).send();

        write.expectProblem(503, "database-overloaded");
        assertThat(write.header("Retry-After")).isNotNull();
        removeFaults();
        api.createServiceAccount(ws, admin, "x");
    }

    /**
     * No connection slot left for the applications (53300, "too many connections": here their role's limit is
     * lowered to 0, as another client holding every slot of the server does) while their pooled connections are
     * gone (terminated, as a restart of PostgreSQL leaves them): each request is answered 503 after the pool's
     * connection timeout, on both sides, and all serves again once there are slots.
     */
    @Test
    void noConnectionSlotLeft_is503DatabaseOverloaded_onBothSides_untilThereAreSlots() throws Exception {
        String ws = "faults" + WORKSPACES.incrementAndGet();
        String admin = api.createWorkspace(ws, "ada").path("token").path("secret").asText();
        try {
            superuser.jdbc().execute("ALTER ROLE svcaccounts CONNECTION LIMIT 0");
            superuser.jdbc().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE usename = 'svcaccounts'");
            // pg_terminate_backend only signals: on a loaded machine a backend may serve a little longer
            Eventually.untilAsserted(Duration.ofSeconds(30), () -> assertThat(superuser.jdbc().queryForObject(
                    "SELECT count(*) FROM pg_stat_activity WHERE usename = 'svcaccounts'", Integer.class))
                    .as("the applications' backends still there").isZero());
            // a pooled connection used in the last 500 ms is handed out without a check: the request that meets a
            // terminated one is answered database-unavailable, rightly; older ones are checked and replaced
            Thread.sleep(1_000);

            List<Response> answers = List.of(
                    api.command("POST", Api.serviceAccounts(ws)).token(admin).json(Map.of("name", "x")).send(),
                    api.listServiceAccounts(ws, admin),
                    api.introspect(api.operatorToken(), admin));
            assertThat(answers).allSatisfy(answer -> {
                answer.expectProblem(503, "database-overloaded");
                assertThat(answer.header("Retry-After")).as(answer.toString()).isNotNull();
            });
        } finally {
            superuser.jdbc().execute("ALTER ROLE svcaccounts CONNECTION LIMIT -1");
        }
        Eventually.untilAsserted(Duration.ofSeconds(30), () -> assertThat(api.command("POST", Api.serviceAccounts(ws))
                .token(admin).json(Map.of("name", "after")).send().status()).isEqualTo(201));
        Eventually.untilAsserted(Duration.ofSeconds(30),
                () -> assertThat(api.listServiceAccounts(ws, admin).status()).isEqualTo(200));
    }

    /**
     * The backend dies while it commits, as in a fast shutdown of PostgreSQL (here a deferred trigger terminates
     * its own backend at COMMIT: 57P01 "terminating connection due to administrator command"). The client cannot
     * know whether the change was committed, and is told so; here it was not, and the same request then works.
     */
    @Test
    void aBackendTerminatedDuringCommit_is503CommitOutcomeUnknown() {
        String ws = "faults" + WORKSPACES.incrementAndGet();
        String admin = api.createWorkspace(ws, "ada").path("token").path("secret").asText();
        database.jdbc().execute("""
                CREATE OR REPLACE FUNCTION command_side.fault() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_terminate_backend(pg_backend_pid());
                    PERFORM pg_sleep(5); -- the termination arrives here, while COMMIT runs the deferred triggers
                    RETURN NULL;
                END $$""");
        database.jdbc().execute("CREATE CONSTRAINT TRIGGER fault AFTER INSERT ON command_side.domain_event_entry "
                + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.aggregate_identifier = '" + ws + "') "
                + "EXECUTE FUNCTION command_side.fault()");

        Response write = api.command("POST", Api.serviceAccounts(ws)).token(admin).json(Map.of("name", "x")).send();

        write.expectProblem(503, "commit-outcome-unknown");
        assertThat(write.header("Retry-After")).isNotNull();
        removeFaults();
        api.createServiceAccount(ws, admin, "x"); // it was not committed: the name is free
    }

    /** Makes every append to the event store fail with this message and SQLSTATE, as the server would. */
    private static void raiseOnAppend(String messageLiteral, String sqlState) {
        database.jdbc().execute("""
                CREATE OR REPLACE FUNCTION command_side.fault() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION USING MESSAGE = %s, ERRCODE = '%s';
                END $$""".formatted(messageLiteral, sqlState));
        database.jdbc().execute("CREATE TRIGGER fault BEFORE INSERT ON command_side.domain_event_entry "
                + "FOR EACH ROW EXECUTE FUNCTION command_side.fault()");
    }
}
