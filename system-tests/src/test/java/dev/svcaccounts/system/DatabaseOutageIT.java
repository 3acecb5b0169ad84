package dev.svcaccounts.system;

import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.PersistentPostgres;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Traffic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL going away (a restart, a failover) is an outage the clients are told to wait out, not a bug:
 * while it is down both sides answer 503 with {@code Retry-After} and a problem document, never a 500 or a
 * hanging request; when it is back they serve again without a restart, and the read models catch up.
 */
class DatabaseOutageIT {

    /** Axon's streaming processors back off while the database is gone; this bounds their return. */
    private static final Duration RECOVERY = Duration.ofSeconds(90);

    @Test
    void whileTheDatabaseIsDown_bothSidesAnswer503_andServeAgainWhenItIsBack() throws Exception {
        try (PersistentPostgres postgres = new PersistentPostgres()) {
            postgres.start();
            Database database = postgres.createDatabase("outage");
            try (RunningSystem system = RunningSystem.start(database)) {
                Api api = system.api();
                String admin = api.createWorkspace("outage", "ada").path("token").path("secret").asText();

                postgres.stop();
                assertUnavailable(api.command("POST", Api.serviceAccounts("outage")).token(admin)
                        .json(Map.of("name", "during-outage")).send());
                assertUnavailable(api.listServiceAccounts("outage", admin));
                assertUnavailable(api.query("POST", "/v1/introspect").token(api.operatorToken())
                        .form(Map.of("token", admin)).send());

                assertThat(api.query("GET", "/actuator/health").send().status()).as("health").isEqualTo(503);
                // what the alerts SvcaccountsDatabaseUnavailable and SvcaccountsDatabaseErrors read
                assertThat(metrics(api.command("GET", "/actuator/prometheus")))
                        .containsPattern("svcaccounts_database_up\\{[^}]*\\} 0\\.0")
                        .containsPattern("svcaccounts_failures_total\\{[^}]*code=\"database-unavailable\","
                                + "status=\"503\"\\} [1-9]");
                assertThat(metrics(api.query("GET", "/actuator/prometheus")))
                        .containsPattern("svcaccounts_database_up\\{[^}]*\\} 0\\.0")
                        .containsPattern("svcaccounts_failures_total\\{[^}]*code=\"database-unavailable\","
                                + "status=\"503\"\\} [1-9]")
                        .containsPattern("svcaccounts_introspections_total\\{[^}]*reason=\"unavailable\","
                                + "result=\"refused\"\\} 1\\.0");

                postgres.start();
                Eventually.untilAsserted(RECOVERY, () -> assertThat(api.command("POST", Api.serviceAccounts("outage"))
                        .token(admin).json(Map.of("name", "after-outage")).send().status()).isEqualTo(201));
                assertThat(metrics(api.command("GET", "/actuator/prometheus")))
                        .containsPattern("svcaccounts_database_up\\{[^}]*\\} 1\\.0");
                Eventually.untilAsserted(RECOVERY, () -> assertThat(api.listServiceAccounts("outage", admin).json()
                        .path("items").findValuesAsText("name")).containsExactly("after-outage"));
            }
        }
    }

    /**
     * PostgreSQL going away while clients write, twice each way: the postmaster and its backends SIGKILLed (a
     * crash; {@code pg_ctl stop -m immediate} does the same to the clients), and a fast shutdown ({@code pg_ctl stop
     * -m fast}: each backend ends its session with 57P01, some in the middle of a COMMIT). Every connection breaks
     * wherever its request is, in authentication, while loading a workspace, appending, updating the credentials
     * or committing. Each request is answered with its success or a 503, never a 500.
     */
    @Test
    void postgresKilledOrStoppedUnderWriteLoad_everyAnswerIsASuccessOrA503() throws Exception {
        try (PersistentPostgres postgres = new PersistentPostgres()) {
            postgres.start();
            Database database = postgres.createDatabase("killed");
            try (RunningSystem system = RunningSystem.start(database)) {
                Api api = system.api();
                int clients = 6;
                List<String> admins = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    admins.add(api.createWorkspace("killed" + i, "ada").path("token").path("secret").asText());
                }
                AtomicInteger names = new AtomicInteger();
                try (Traffic traffic = Traffic.start(clients, i -> () -> names.incrementAndGet() % 4 == 0
                        ? api.listServiceAccounts("killed" + i, admins.get(i))
                        : writeSomething(api, "killed" + i, admins.get(i), "sa-" + names.get()))) {
                    for (int round = 1; round <= 4; round++) {
                        long before = System.nanoTime();
                        Eventually.untilAsserted(RECOVERY, () -> assertThat(traffic.sentSince(before))
                                .as(() -> traffic.last(10))
                                .filteredOn(Traffic.Outcome::isSuccess).hasSizeGreaterThan(30));
                        if (round % 2 == 1) {
                            postgres.kill();
                        } else {
                            postgres.stop();
                        }
                        Thread.sleep(2_000);
                        postgres.start();
                    }
                    long restarted = System.nanoTime();
                    Eventually.untilAsserted(RECOVERY, () -> assertThat(traffic.sentSince(restarted))
                            .as(() -> traffic.last(10))
                            .filteredOn(o -> o.isSuccess() && !o.request().startsWith("GET")).hasSizeGreaterThan(30));
                    traffic.stop(Duration.ofSeconds(40));
                    assertThat(traffic.outcomes()).as("answers while PostgreSQL was killed and stopped")
                            .allSatisfy(DatabaseOutageIT::assertSuccessOr503)
                            .anyMatch(o -> o.status() == 503);
                }
            }
        }
    }

    /** Creates an account, issues it a second token and deletes it: every kind of write, quota kept. */
    private static Response writeSomething(Api api, String ws, String admin, String name) {
        Response created = api.command("POST", Api.serviceAccounts(ws)).token(admin).json(Map.of("name", name)).send();
        if (created.status() != 201) {
            return created;
        }
        String id = created.json().path("id").asText();
        Response issued = api.command("POST", Api.tokens(ws, id)).token(admin).send();
        if (issued.status() != 201) {
            return issued;
        }
        return api.command("DELETE", Api.serviceAccount(ws, id)).token(admin).send();
    }

    private static String metrics(Api.Request scrape) {
        return scrape.header("Accept", "text/plain").send().expect(200).body();
    }

    private static void assertSuccessOr503(Traffic.Outcome outcome) {
        if (outcome.isSuccess()) {
            return;
        }
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(503);
        assertThat(outcome.isProblem()).as(outcome.toString()).isTrue();
        assertThat(outcome.retryAfter()).as(outcome.toString()).isNotNull();
        assertThat(outcome.problemCode()).as(outcome.toString())
                .isIn("database-unavailable", "commit-outcome-unknown");
    }

    private static void assertUnavailable(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("5");
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("type").asText()).isEqualTo("urn:svcaccounts:problem:database-unavailable");
    }
}
