package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static dev.svcaccounts.system.support.Api.projectServiceAccount;
import static dev.svcaccounts.system.support.Api.serviceAccount;
import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each command node keeps its recently used workspaces in memory. A node whose copy is behind changes made
 * through the other node still decides every command on the current state: what one node just did is seen by
 * the other's very next command, with no retry by the client.
 */
class WorkspaceCacheIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("workspace_cache");
    private static Api first;
    private static Api second;

    @BeforeAll
    static void setUp() {
        first = system.api();
        second = system.addCommandNode();
    }

    @Test
    void whatOneNodeJustDid_isTheStateTheOtherNodesNextCommandIsDecidedOn() {
        String ws = "two-copies";
        String admin = first.createWorkspace(ws, "alice").path("token").path("secret").asText();
        // both nodes now hold the workspace in memory
        first.createProject(ws, admin, "web", "private");
        second.createProject(ws, admin, "api", "private");

        for (int i = 0; i < 6; i++) {
            Api creator = i % 2 == 0 ? first : second;
            Api other = i % 2 == 0 ? second : first;
            String id = creator.createServiceAccount(ws, admin, "bot-" + i).path("id").asText();

            // an account the other node's copy has never seen: assigning it must not be "not found"
            other.command("PUT", projectServiceAccount(ws, "api", id)).token(admin).json(Map.of("role", "viewer"))
                    .send().expect(200);
            // nor may its name be taken a second time
            other.command("POST", serviceAccounts(ws)).token(admin).json(Map.of("name", "BOT-" + i))
                    .send().expectProblem(409, "service-account-name-taken");

            // deactivated on one node: the other knows it is inactive and may reactivate it
            creator.deactivate(ws, admin, id);
            JsonNode reactivated = other.reactivate(ws, admin, id);
            assertThat(reactivated.path("status").asText()).isEqualTo("active");

            // deleted on one node: the other refuses to touch it
            other.delete(ws, admin, id);
            creator.command("POST", serviceAccount(ws, id) + "/deactivate").token(admin).send()
                    .expectProblem(404, "service-account-not-found");
        }

        // the workspace's stream has no holes and no doubles, whichever node appended
        var sequence = system.database().jdbc().queryForList("""
                SELECT sequence_number FROM command_side.domain_event_entry
                 WHERE aggregate_identifier = ? ORDER BY sequence_number
                """, Long.class, ws);
        for (int i = 0; i < sequence.size(); i++) {
            assertThat(sequence.get(i)).isEqualTo(i);
        }
    }
}
