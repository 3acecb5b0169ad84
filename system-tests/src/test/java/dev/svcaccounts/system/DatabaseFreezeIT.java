package dev.svcaccounts.system;

import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.FaultProxy;
import dev.svcaccounts.system.support.PersistentPostgres;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.TestDatabases;
import dev.svcaccounts.system.support.Traffic;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that stops answering without closing anything (PostgreSQL frozen by SIGSTOP, as under a stuck disk
 * or a paused machine; or a network that silently drops every packet) must not hold requests: each is answered
 * 503 within a few seconds (by design at most about 5 s: a 3 s wait for a connection plus a 1 s check, or a 4 s
 * socket timeout; {@link #BOUND} leaves room for a loaded machine), health is DOWN within a probe's 5 s, and all
 * works again once the database answers.
 */
class DatabaseFreezeIT {

    private static final Duration BOUND = Duration.ofSeconds(7);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FROZEN_FOR = Duration.ofSeconds(15);
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    @Test
    void postgresFrozen_everyRequestIsAnswered503WithinSeconds_healthIsDownWithin5s_andAllWorksAfter()
            throws Exception {
        try (PersistentPostgres postgres = new PersistentPostgres()) {
            postgres.start();
            Database database = postgres.createDatabase("frozen");
            try (RunningSystem system = RunningSystem.start(database)) {
                Api api = system.api();
                List<String> admins = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    admins.add(api.createWorkspace("frozen" + i, "ada").path("token").path("secret").asText());
                }
                // the query side checks the operator credential with its slow hash once, at its first use: not in
                // the traffic, where four clients would wait for it at once, and a loaded machine takes seconds
                api.introspect(api.operatorToken(), admins.get(0)).expect(200);
                try (Traffic traffic = Traffic.start(4, i -> mixedRequests(api, "frozen" + i, admins.get(i)))) {
                    long start = System.nanoTime();
                    Eventually.untilAsserted(RECOVERY, () -> assertThat(traffic.sentSince(start))
                            .filteredOn(Traffic.Outcome::isSuccess).hasSizeGreaterThan(20));

                    postgres.freeze();
                    long frozenAt = System.nanoTime();
                    long thawedAt;
                    try {
                        assertDown(api.command("GET", "/actuator/health"));
                        assertDown(api.query("GET", "/actuator/health"));
                        Thread.sleep(FROZEN_FOR.toMillis());
                        assertDown(api.query("GET", "/actuator/health"));
                    } finally {
                        // taken before SIGCONT is sent: a request waiting on PostgreSQL can complete while thaw()
                        // still waits for its kill command, and its answer belongs to after the freeze
                        thawedAt = System.nanoTime();
                        postgres.thaw();
                    }

                    long after = System.nanoTime();
                    Eventually.untilAsserted(RECOVERY, () -> assertThat(traffic.sentSince(after))
                            .filteredOn(o -> o.isSuccess() && o.request().startsWith("POST /v1/workspaces/frozen"))
                            .isNotEmpty());
                    traffic.stop(Duration.ofSeconds(40));

                    assertThat(traffic.outcomes()).as("every answer, before, during and after the freeze")
                            .allSatisfy(o -> assertThat(o.took()).as(o.toString()).isLessThan(BOUND));
                    List<Traffic.Outcome> duringTheFreeze = traffic.outcomes().stream()
                            .filter(o -> o.sentAtNanos() - frozenAt >= 0
                                    && thawedAt - (o.sentAtNanos() + o.took().toNanos()) > 0)
                            .toList();
                    System.out.printf("DatabaseFreezeIT: %d requests answered while frozen, the slowest in %d ms; "
                                    + "slowest answer of the whole run %d ms%n", duringTheFreeze.size(),
                            duringTheFreeze.stream().mapToLong(o -> o.took().toMillis()).max().orElse(0),
                            traffic.outcomes().stream().mapToLong(o -> o.took().toMillis()).max().orElse(0));
                    assertThat(duringTheFreeze).as("answers to requests sent while it was frozen")
                            .hasSizeGreaterThan(8)
                            .allSatisfy(o -> {
                                assertThat(o.status()).as(o.toString()).isEqualTo(503);
                                assertThat(o.retryAfter()).as(o.toString()).isNotNull();
                                assertThat(o.problemCode()).as(o.toString()).isEqualTo("database-unavailable");
                            });
                }
                assertThat(api.command("GET", "/actuator/health").send().status()).isEqualTo(200);
                Eventually.untilAsserted(RECOVERY,
                        () -> assertThat(api.query("GET", "/actuator/health").send().status()).isEqualTo(200));
            }
        }
    }

    /**
     * The network between the applications and PostgreSQL drops everything, silently: nothing is refused or
     * reset, no answer comes. Requests are answered as while PostgreSQL is frozen, not after the TCP timeout.
     */
    @Test
    void theNetworkDropsEverything_requestsAreAnswered503WithinSeconds_andServedWhenItIsBack() {
        Database database = TestDatabases.fresh("dropped_network");
        int port = URI.create(database.url().substring("jdbc:".length())).getPort();
        try (FaultProxy commandNetwork = FaultProxy.to(port); FaultProxy queryNetwork = FaultProxy.to(port);
             ConfigurableApplicationContext commandSide = RunningSystem.startCommandSide(
                     commandNetwork.database(database));
             ConfigurableApplicationContext querySide = RunningSystem.startQuerySide(queryNetwork.database(database))) {
            Api api = new Api(RunningSystem.baseUrl(commandSide), RunningSystem.baseUrl(querySide),
                    RunningSystem.OPERATOR_TOKEN);
            String admin = api.createWorkspace("dropped", "ada").path("token").path("secret").asText();
            api.createServiceAccount("dropped", admin, "before");

            commandNetwork.dropEverything();
            queryNetwork.dropEverything();
            try {
                for (Supplier<Response> request : List.<Supplier<Response>>of(
                        () -> api.command("POST", Api.serviceAccounts("dropped")).token(admin)
                                .json(Map.of("name", "during")).send(),
                        () -> api.listServiceAccounts("dropped", admin),
                        () -> api.introspect(api.operatorToken(), admin),
                        () -> api.command("POST", Api.serviceAccounts("dropped")).token(admin)
                                .json(Map.of("name", "during")).send())) {
                    long sent = System.nanoTime();
                    Response answer = request.get();
                    Duration took = Duration.ofNanos(System.nanoTime() - sent);
                    assertThat(took).as(answer + " took").isLessThan(BOUND);
                    answer.expectProblem(503, "database-unavailable");
                }
                assertDown(api.command("GET", "/actuator/health"));
                assertDown(api.query("GET", "/actuator/health"));
            } finally {
                commandNetwork.resume();
                queryNetwork.resume();
            }
            Eventually.untilAsserted(RECOVERY, () -> assertThat(api.command("POST", Api.serviceAccounts("dropped"))
                    .token(admin).json(Map.of("name", "after")).send().status()).isEqualTo(201));
            Eventually.untilAsserted(RECOVERY, () -> assertThat(api.listServiceAccounts("dropped", admin).status())
                    .isEqualTo(200));
        }
    }

    /** In turn: a read, an introspection, and a command (creating an account, or deleting the one created). */
    private static Supplier<Response> mixedRequests(Api api, String ws, String admin) {
        AtomicInteger turn = new AtomicInteger();
        AtomicReference<String> created = new AtomicReference<>();
        return () -> {
            int t = turn.incrementAndGet();
            if (t % 3 == 0) {
                return api.listServiceAccounts(ws, admin);
            }
            if (t % 3 == 1) {
                return api.introspect(api.operatorToken(), admin);
            }
            String id = created.getAndSet(null);
            if (id != null) {
                return api.command("DELETE", Api.serviceAccount(ws, id)).token(admin).send();
            }
            Response create = api.command("POST", Api.serviceAccounts(ws)).token(admin).json(Map.of("name", "sa-" + t))
                    .send();
            if (create.status() == 201) {
                created.set(create.json().path("id").asText());
            }
            return create;
        };
    }

    /** Health answers DOWN (503) within a probe's timeout. */
    private static void assertDown(Api.Request health) {
        long sent = System.nanoTime();
        Response answer = health.send();
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("health answered within").isLessThan(PROBE_TIMEOUT);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
        assertThat(answer.json().path("status").asText()).isEqualTo("DOWN");
    }
}
