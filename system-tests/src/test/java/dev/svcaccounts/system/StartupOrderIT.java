package dev.svcaccounts.system;

import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.Ports;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.TestDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The processes of a deployment start in any order: a node that comes before PostgreSQL, or a query side that
 * comes before the command side has created the tables it reads, waits (saying what for) and then starts,
 * instead of crashing or answering 500s. It gives up only after {@code svcaccounts.startup.timeout}.
 */
class StartupOrderIT {

    /** Long enough that a node which does not wait would have finished starting (they start in 5-15 s). */
    private static final Duration STILL_WAITING = Duration.ofSeconds(12);
    private static final long START_SECONDS = 120;

    @Test
    void aQuerySideStartedBeforeTheCommandSide_waitsForItsTables_thenServes() throws Exception {
        Database database = TestDatabases.fresh("query-first");
        CompletableFuture<ConfigurableApplicationContext> querySide =
                CompletableFuture.supplyAsync(() -> RunningSystem.startQuerySide(database));
        ConfigurableApplicationContext commandSide = null;
        try {
            assertStillStarting(querySide);
            commandSide = RunningSystem.startCommandSide(database);
            ConfigurableApplicationContext query = querySide.get(START_SECONDS, TimeUnit.SECONDS);

            Api api = new Api(RunningSystem.baseUrl(commandSide), RunningSystem.baseUrl(query),
                    RunningSystem.OPERATOR_TOKEN);
            String admin = api.createWorkspace("late-query", "ada").path("token").path("secret").asText();
            assertThat(api.me(admin).expect(200).json().path("workspace").asText()).isEqualTo("late-query");
        } finally {
            closeWhenStarted(querySide);
            if (commandSide != null) {
                commandSide.close();
            }
        }
    }

    @Test
    void aNodeStartedBeforePostgresql_waitsForIt_thenServes() throws Exception {
        int port = freePort();
        Database notYetThere = new Database("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
        CompletableFuture<ConfigurableApplicationContext> commandSide =
                CompletableFuture.supplyAsync(() -> RunningSystem.startCommandSide(notYetThere));
        EmbeddedPostgres postgres = null;
        try {
            assertStillStarting(commandSide);
            postgres = EmbeddedPostgres.builder().setPort(port).start();
            ConfigurableApplicationContext command = commandSide.get(START_SECONDS, TimeUnit.SECONDS);

            Api api = new Api(RunningSystem.baseUrl(command), null, RunningSystem.OPERATOR_TOKEN);
            assertThat(api.createWorkspace("late-database", "ada").path("token").path("secret").asText())
                    .startsWith("usrtok_");
        } finally {
            closeWhenStarted(commandSide);
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Test
    void aNodeGivesUpAfterItsStartupTimeout_namingWhatItWaitedFor() throws IOException {
        Database nowhere = new Database("jdbc:postgresql://localhost:" + freePort() + "/postgres", "postgres", "");
        assertThatThrownBy(() -> RunningSystem.startCommandSide(nowhere, "--svcaccounts.startup.timeout=2s"))
                .rootCause()
                .hasMessageContaining("Gave up after 2 s waiting for the database");
    }

    private static void assertStillStarting(CompletableFuture<ConfigurableApplicationContext> node) throws Exception {
        try {
            node.get(STILL_WAITING.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException expected) {
            return;
        }
        throw new AssertionError("the node started without what it needs instead of waiting for it");
    }

    private static void closeWhenStarted(CompletableFuture<ConfigurableApplicationContext> node) {
        try {
            node.get(START_SECONDS, TimeUnit.SECONDS).close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException ignored) {
            // it never started: nothing to close
        }
    }

    /** Bound by PostgreSQL only seconds later, or never: reserved ({@link Ports}) so that nobody else gets it. */
    private static int freePort() {
        return Ports.reserve();
    }
}
