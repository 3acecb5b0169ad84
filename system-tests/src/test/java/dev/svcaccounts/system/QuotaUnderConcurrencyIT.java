package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Parallel;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quota of 50 accounts and unique names hold when many creates arrive at the same moment: exactly as many
 * succeed as the rules allow, and the event store, the credential tables and the read model all agree.
 */
class QuotaUnderConcurrencyIT {

    private static final int THREADS = 16;

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("quota_race");
    private static Api api;

    @BeforeAll
    static void setUp() {
        api = system.api();
    }

    @Test
    void sixtyParallelCreates_inAnEmptyWorkspace_yieldExactlyFiftyAccounts() throws Exception {
        String ws = "race";
        String admin = api.createWorkspace(ws, "alice").path("token").path("secret").asText();

        List<Response> responses = Parallel.send(THREADS, 60,
                i -> api.command("POST", serviceAccounts(ws)).token(admin).json(Map.of("name", "parallel-" + i)));

        List<Response> created = responses.stream().filter(r -> r.status() == 201).toList();
        List<Response> refused = responses.stream().filter(r -> r.status() == 409).toList();
        assertThat(responses).as("every response is 201 or 409: %s", responses.stream()
                .filter(r -> r.status() != 201 && r.status() != 409).toList())
                .allMatch(r -> r.status() == 201 || r.status() == 409);
        assertThat(created).as("created").hasSize(50);
        assertThat(refused).as("refused").hasSize(10);
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.json().path("type").asText())
                    .isEqualTo("urn:svcaccounts:problem:service-account-quota-reached");
            assertThat(r.detail()).contains("50");
        });
        List<String> createdIds = created.stream().map(r -> r.json().path("id").asText()).toList();
        List<String> createdNames = created.stream().map(r -> r.json().path("name").asText()).toList();
        assertThat(createdIds).doesNotHaveDuplicates();
        assertThat(created.stream().map(r -> r.json().path("token").path("secret").asText()).toList())
                .doesNotHaveDuplicates();

        // the race is over: still full
        assertThat(api.command("POST", serviceAccounts(ws)).token(admin).json(Map.of("name", "late")).send().status())
                .isEqualTo(409);

        // the query side eventually lists exactly those 50
        JsonNode page = Eventually.read(() -> api.listServiceAccounts(ws, admin),
                list -> assertThat(Json.items(list)).hasSize(50));
        assertThat(Json.texts(Json.items(page), "id")).containsExactlyInAnyOrderElementsOf(createdIds);
        assertThat(Json.texts(Json.items(page), "name")).containsExactlyInAnyOrderElementsOf(createdNames);

        // the event store and the credential table hold exactly 50 as well
        var jdbc = system.database().jdbc();
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM command_side.domain_event_entry
                 WHERE aggregate_identifier = ? AND payload_type LIKE '%ServiceAccountCreatedEvent'
                """, Integer.class, ws)).isEqualTo(50);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM command_side.domain_event_entry
                 WHERE aggregate_identifier = ? AND payload_type LIKE '%TokenIssuedEvent'
                """, Integer.class, ws)).as("50 first tokens and the admin's").isEqualTo(51);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM command_side.auth_principal
                 WHERE workspace_id = ? AND principal_type = 'SERVICE_ACCOUNT'
                """, Integer.class, ws)).isEqualTo(50);
        // the aggregate's event stream has no holes and no doubles
        List<Long> sequence = jdbc.queryForList("""
                SELECT sequence_number FROM command_side.domain_event_entry
                 WHERE aggregate_identifier = ? ORDER BY sequence_number
                """, Long.class, ws);
        for (int i = 0; i < sequence.size(); i++) {
            assertThat(sequence.get(i)).isEqualTo(i);
        }
    }

    @Test
    void parallelCreatesOfTheSameName_inDifferentCase_yieldExactlyOneAccount() throws Exception {
        String ws = "same-name";
        String admin = api.createWorkspace(ws, "alice").path("token").path("secret").asText();
        List<String> variants = List.of("deploy-bot", "DEPLOY-BOT", "Deploy-Bot", "dEPLOY-bOT", "DePlOy-BoT",
                "deploy-BOT", "DEPLOY-bot", "Deploy-bot", "deploy-Bot", "dePloy-boT", "DEPloy-BOt", "deplOY-boT",
                "deploy-BOt", "Deploy-BOT", "dEploy-bot", "ｄｅｐｌｏｙ-bot");

        List<Response> responses = Parallel.send(THREADS, variants.size(),
                i -> api.command("POST", serviceAccounts(ws)).token(admin).json(Map.of("name", variants.get(i))));

        assertThat(responses.stream().filter(r -> r.status() == 201)).as("created").hasSize(1);
        assertThat(responses.stream().filter(r -> r.status() == 409)).as("refused as a duplicate name")
                .hasSize(variants.size() - 1)
                .allSatisfy(r -> assertThat(r.json().path("type").asText())
                        .isEqualTo("urn:svcaccounts:problem:service-account-name-taken"));

        Eventually.read(() -> api.listServiceAccounts(ws, admin), list -> assertThat(Json.items(list)).hasSize(1));
        assertThat(system.database().jdbc().queryForObject("""
                SELECT count(*) FROM command_side.domain_event_entry
                 WHERE aggregate_identifier = ? AND payload_type LIKE '%ServiceAccountCreatedEvent'
                """, Integer.class, ws)).isEqualTo(1);
    }

    @Test
    void parallelCreatesInTwoWorkspaces_doNotShareAQuota() throws Exception {
        String first = "twin-a";
        String second = "twin-b";
        String adminA = api.createWorkspace(first, "alice").path("token").path("secret").asText();
        String adminB = api.createWorkspace(second, "bob").path("token").path("secret").asText();

        List<Response> responses = Parallel.send(THREADS, 60, i -> i % 2 == 0
                ? api.command("POST", serviceAccounts(first)).token(adminA).json(Map.of("name", "bot-" + i))
                : api.command("POST", serviceAccounts(second)).token(adminB).json(Map.of("name", "bot-" + i)));

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
        Eventually.read(() -> api.listServiceAccounts(first, adminA), list -> assertThat(Json.items(list)).hasSize(30));
        Eventually.read(() -> api.listServiceAccounts(second, adminB),
                list -> assertThat(Json.items(list)).hasSize(30));
    }

    @Test
    void racingCreatesOnTwoCommandNodes_neverExceedTheQuota_andLostRacesAreRetriedByTheServer() throws Exception {
        String ws = "two-nodes";
        Api secondNode = system.addCommandNode();
        String admin = api.createWorkspace(ws, "alice").path("token").path("secret").asText();

        // no client retries: a command that lost the race to the other node is re-run by the server
        List<Response> responses = Parallel.send(THREADS, 60, i -> {
            Api node = i % 2 == 0 ? api : secondNode;
            return node.command("POST", serviceAccounts(ws)).token(admin).json(Map.of("name", "node-bot-" + i));
        });

        // the invariants first: never more than 50, and every 201 is an account in the store (no phantom, no loss)
        Integer stored = system.database().jdbc().queryForObject("""
                SELECT count(*) FROM command_side.domain_event_entry
                 WHERE aggregate_identifier = ? AND payload_type LIKE '%ServiceAccountCreatedEvent'
                """, Integer.class, ws);
        assertThat(stored).as("accounts in the event store").isLessThanOrEqualTo(50)
                .isEqualTo((int) responses.stream().filter(r -> r.status() == 201).count());
        assertThat(system.database().jdbc().queryForObject("""
                SELECT count(*) FROM command_side.auth_principal
                 WHERE workspace_id = ? AND principal_type = 'SERVICE_ACCOUNT'
                """, Integer.class, ws)).as("credential rows: a refused append left none behind").isEqualTo(stored);
        // then what the clients were told
        assertThat(responses).as("no request failed with a server error")
                .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isIn(201, 409));
        assertThat(responses.stream().filter(r -> r.status() == 201)).as("created").hasSize(50);
        assertThat(responses.stream().filter(r -> r.status() == 409)).as("refused: quota").hasSize(10)
                .allSatisfy(r -> assertThat(r.json().path("type").asText())
                        .isEqualTo("urn:svcaccounts:problem:service-account-quota-reached"));
    }
}
