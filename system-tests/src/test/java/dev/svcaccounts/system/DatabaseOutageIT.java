package dev.svcaccounts.system;

import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.PersistentPostgres;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

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

                postgres.start();
                Eventually.untilAsserted(RECOVERY, () -> assertThat(api.command("POST", Api.serviceAccounts("outage"))
                        .token(admin).json(Map.of("name", "after-outage")).send().status()).isEqualTo(201));
                Eventually.untilAsserted(RECOVERY, () -> assertThat(api.listServiceAccounts("outage", admin).json()
                        .path("items").findValuesAsText("name")).containsExactly("after-outage"));
            }
        }
    }

    private static void assertUnavailable(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("5");
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("type").asText()).isEqualTo("urn:svcaccounts:problem:database-unavailable");
    }
}
