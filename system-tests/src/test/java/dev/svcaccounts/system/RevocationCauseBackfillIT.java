package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Probe;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migration V4 gives every token revoked before it the cause of its revocation, as the credential projection has
 * recorded it since, so refusals of old tokens are recorded under the right rule after an upgrade.
 */
class RevocationCauseBackfillIT {

    private static final String WS = "backfill";

    @Test
    void tokensRevokedBeforeV4_getTheCauseTheProjectionRecordsNow() {
        Database database = TestDatabases.fresh("backfill");
        Map<String, String> expected = new HashMap<>();
        try (RunningSystem system = RunningSystem.start(database)) {
            Api api = system.api();
            String admin = api.createWorkspace(WS, "alice").path("token").path("secret").asText();

            JsonNode kept = api.createServiceAccount(WS, admin, "kept");
            String keptId = kept.path("id").asText();
            String revoked = api.issueToken(WS, admin, keptId).path("id").asText();
            api.revokeToken(WS, admin, keptId, revoked);
            expected.put(revoked, "REVOKED");

            // tokens that expired before their owner went are revoked by the projection alone, without an event
            JsonNode sleeper = api.createServiceAccount(WS, admin, "sleeper");
            JsonNode gone = api.createServiceAccount(WS, admin, "gone");
            // soon, yet not before both are issued: an expiry in the past is refused, and a loaded machine is slow
            Map<String, Object> expiringSoon = Map.of("expiresAt", Instant.now().plusSeconds(5).toString());
            JsonNode sleeperExpired = api.issueToken(WS, admin, sleeper.path("id").asText(), expiringSoon);
            JsonNode goneExpired = api.issueToken(WS, admin, gone.path("id").asText(), expiringSoon);
            Eventually.untilAsserted(Duration.ofSeconds(30), () -> assertThat(
                    Probe.querySide(api, WS, goneExpired.path("secret").asText()).status()).isEqualTo(401));

            api.deactivate(WS, admin, sleeper.path("id").asText());
            expected.put(sleeper.path("token").path("id").asText(), "ACCOUNT_DEACTIVATED");
            expected.put(sleeperExpired.path("id").asText(), "ACCOUNT_DEACTIVATED");
            api.delete(WS, admin, gone.path("id").asText());
            expected.put(gone.path("token").path("id").asText(), "ACCOUNT_DELETED");
            expected.put(goneExpired.path("id").asText(), "ACCOUNT_DELETED");

            JsonNode bob = api.addMember(WS, admin, "bob", "member").path("token");
            api.removeMember(WS, admin, "bob");
            expected.put(bob.path("id").asText(), "MEMBER_REMOVED");

            assertThat(causes(database)).as("as the projection records them").isEqualTo(expected);
        }

        // back to a database of the release before V4 (V3), and up again: V4 and what came after it run
        database.jdbc().execute("ALTER TABLE command_side.auth_token DROP COLUMN revocation_cause");
        database.jdbc().execute("DROP TABLE command_side.token_usage");
        database.jdbc().execute("DROP TABLE command_side.throttle_counter, command_side.refusal_skip"); // V7
        database.jdbc().execute("DROP TABLE command_side.idempotency_key"); // V8
        database.jdbc().execute("DROP TABLE command_side.auth_introspection_client"); // V9
        // V10
        database.jdbc().execute("ALTER TABLE command_side.auth_token DROP COLUMN scope, DROP COLUMN expiry_cause");
        database.jdbc().execute("DROP TABLE command_side.token_idle_policy"); // V11
        database.jdbc().execute("DROP TABLE command_side.federation_rule, command_side.federation_jti"); // V12
        database.jdbc().execute("DROP INDEX command_side.auth_token_working_by_principal"); // V6
        database.jdbc().execute("DROP INDEX command_side.auth_project_role_principal"); // V13, and V2's again
        database.jdbc().execute("CREATE INDEX auth_project_role_principal"
                + " ON command_side.auth_project_role (workspace_id, principal_type, principal_id)");
        database.jdbc().update("DELETE FROM command_side.flyway_schema_history WHERE CAST(version AS integer) >= 4");
        try (ConfigurableApplicationContext ignored = RunningSystem.startCommandSide(database)) {
            assertThat(causes(database)).as("as V4 fills them in").isEqualTo(expected);
        }
    }

    private static Map<String, String> causes(Database database) {
        Map<String, String> causes = new HashMap<>();
        database.jdbc().query(
                "SELECT token_id, revocation_cause FROM command_side.auth_token WHERE revoked_at IS NOT NULL",
                rs -> {
                    causes.put(rs.getString("token_id"), rs.getString("revocation_cause"));
                });
        return causes;
    }
}
