package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.FaultProxy;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.svcaccounts.system.support.Api.projectServiceAccount;
import static dev.svcaccounts.system.support.Api.serviceAccount;
import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each command node keeps its recently used workspaces in memory. A node whose copy is behind changes made
 * through the other node still decides every command on the current state: what one node just did is seen by
 * the other's very next command, with no retry by the client. A node decides on its copy without reading the
 * store first: a command that appends on a copy that is behind collides with the other node's events and is
 * decided again; a refusal, or a command that changes nothing, is checked against the store before it is answered.
 */
class WorkspaceCacheIT {

    /** The statement that reads a workspace's events: its whole history, a catch-up, or the check after a decision. */
    private static final String EVENT_READ = "FROM command_side.domain_event_entry WHERE aggregate_identifier";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("workspace_cache");
    private static Api first;
    private static Api second;
    /** A third command node, whose statements {@link #proxy} counts. */
    private static Api watched;
    private static FaultProxy proxy;
    private static ConfigurableApplicationContext watchedNode;

    @BeforeAll
    static void setUp() {
        first = system.api();
        second = system.addCommandNode();
        proxy = FaultProxy.to(URI.create(system.database().url().substring("jdbc:".length())).getPort());
        watchedNode = RunningSystem.startCommandSide(proxy.database(system.database()));
        watched = new Api(RunningSystem.baseUrl(watchedNode), system.queryUrl(), RunningSystem.OPERATOR_TOKEN);
    }

    @AfterAll
    static void tearDown() {
        if (watchedNode != null) {
            watchedNode.close();
        }
        if (proxy != null) {
            proxy.close();
        }
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

    /**
     * Each case on a workspace of its own, which the watched node holds in memory and has never seen another node
     * write: the other node changes it, then the watched node gets a command that its copy would refuse, or answer
     * wrongly without a change. The answer must be the current state's.
     */
    @Test
    void aRefusalOrNoChange_decidedOnACopyBehindTheOtherNode_neverReachesTheClient() {
        // an account created on the other node is assigned here, not "not found"
        String ws = "stale-assign";
        String admin = cachedOnWatched(ws);
        String id = second.createServiceAccount(ws, admin, "bot").path("id").asText();
        watched.command("PUT", projectServiceAccount(ws, "web", id)).token(admin).json(Map.of("role", "viewer"))
                .send().expect(200);

        // a name freed on the other node is taken again here, not "taken"
        ws = "stale-name";
        admin = cachedOnWatched(ws);
        id = watched.createServiceAccount(ws, admin, "bot").path("id").asText();
        second.delete(ws, admin, id);
        watched.createServiceAccount(ws, admin, "BOT");

        // a member added on the other node acts here with the token it got there, not "unknown token"
        ws = "stale-token";
        admin = cachedOnWatched(ws);
        String bob = second.addMember(ws, admin, "bob", "admin").path("token").path("secret").asText();
        watched.createProject(ws, bob, "api", "private");

        // an account deleted on the other node leaves room under the quota here, not "quota reached"
        ws = "stale-quota";
        admin = cachedOnWatched(ws);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 49; i++) { // with web-bot, 50: the quota
            ids.add(watched.createServiceAccount(ws, admin, "bot-" + i).path("id").asText());
        }
        second.delete(ws, admin, ids.get(0));
        watched.createServiceAccount(ws, admin, "bot-50");

        // a role changed on the other node: assigning the old role again here is a change, from the current role
        ws = "stale-no-change";
        admin = cachedOnWatched(ws);
        id = watched.createServiceAccount(ws, admin, "bot").path("id").asText();
        watched.assignServiceAccount(ws, admin, "web", id, "viewer");
        second.assignServiceAccount(ws, admin, "web", id, "contributor");
        JsonNode assigned = watched.assignServiceAccount(ws, admin, "web", id, "viewer");
        assertThat(assigned.path("previousRole").asText()).as(assigned.toString()).isEqualTo("contributor");
        assertThat(assigned.path("role").asText()).isEqualTo("viewer");
    }

    /**
     * A command that appends on a copy behind the other node collides with that node's events and is decided again
     * on the current state: the same name created on both nodes exists once, and the quota holds.
     */
    @Test
    void aCommandAppendingOnACopyBehindTheOtherNode_isDecidedAgainOnTheCurrentState() {
        String duplicated = "stale-duplicate";
        String admin = cachedOnWatched(duplicated);
        second.createServiceAccount(duplicated, admin, "dup");
        watched.command("POST", serviceAccounts(duplicated)).token(admin).json(Map.of("name", "DUP")).send()
                .expectProblem(409, "service-account-name-taken");

        String full = "stale-full";
        String fullAdmin = cachedOnWatched(full);
        for (int i = 0; i < 48; i++) { // with web-bot, 49
            watched.createServiceAccount(full, fullAdmin, "bot-" + i);
        }
        second.createServiceAccount(full, fullAdmin, "bot-48");
        watched.command("POST", serviceAccounts(full)).token(fullAdmin).json(Map.of("name", "bot-50")).send()
                .expectProblem(409, "service-account-quota-reached");

        assertThat(accountsCreated(duplicated)).as("web-bot and dup").isEqualTo(2);
        assertThat(accountsCreated(full)).isEqualTo(50);
    }

    private static long accountsCreated(String ws) {
        Long created = system.database().jdbc().queryForObject("""
                SELECT count(*) FROM command_side.domain_event_entry
                 WHERE aggregate_identifier = ? AND payload_type LIKE '%ServiceAccountCreatedEvent'
                """, Long.class, ws);
        return created == null ? 0 : created;
    }

    /**
     * On a node that alone writes a workspace, a command decided on the cached copy reads none of its events: only
     * a refusal is checked, with one read. Once the node has seen another node's events in the workspace, it reads
     * the events appended since its copy before each command instead.
     */
    @Test
    void aNodeAloneOnAWorkspace_readsNoneOfItsEvents_butToCheckARefusal() {
        String ws = "alone";
        String admin = cachedOnWatched(ws);
        AtomicInteger reads = proxy.count(EVENT_READ);
        String id = watched.createServiceAccount(ws, admin, "bot").path("id").asText();
        String tokenId = watched.issueToken(ws, admin, id).path("id").asText();
        watched.assignServiceAccount(ws, admin, "web", id, "viewer");
        watched.assignServiceAccount(ws, admin, "web", id, "contributor");
        watched.revokeToken(ws, admin, id, tokenId);
        watched.createProject(ws, admin, "api", "private");
        watched.deactivate(ws, admin, id);
        watched.delete(ws, admin, id);
        assertThat(reads.get()).as("reads of the workspace's events by 8 commands on the cached copy").isZero();

        watched.command("POST", serviceAccounts(ws)).token(admin).json(Map.of("name", "WEB-BOT")).send()
                .expectProblem(409, "service-account-name-taken");
        assertThat(reads.get()).as("the refusal's check").isEqualTo(1);

        // another node writes: the watched node's next command collides, then it catches up before each command
        watched.createProject(ws, admin, "api-2", "private"); // on the copy the refusal kept
        second.createProject(ws, admin, "other", "private");
        watched.createProject(ws, admin, "mine", "private");
        reads.set(0);
        second.createProject(ws, admin, "other-2", "private");
        watched.createProject(ws, admin, "mine-2", "private");
        assertThat(reads.get()).as("a catch-up that finds the other node's event").isPositive();
        reads.set(0);
        watched.createProject(ws, admin, "mine-3", "private");
        assertThat(reads.get()).as("a catch-up that finds nothing").isEqualTo(1);
    }

    /**
     * A refusal keeps the copy it was decided on: refused commands on a cached workspace are each checked with one
     * read of the events after the copy's version, none loads the workspace's history, nor does the command after
     * them. A refusal on a workspace the node loads from the store keeps that copy in memory likewise.
     */
    @Test
    void refusals_keepTheCopyTheyWereDecidedOn_noneReloadsTheHistory() {
        String ws = "refused";
        String admin = cachedOnWatched(ws);
        AtomicInteger reads = proxy.count(EVENT_READ);
        for (int i = 0; i < 5; i++) {
            watched.command("POST", serviceAccounts(ws)).token(admin).json(Map.of("name", "WEB-BOT")).send()
                    .expectProblem(409, "service-account-name-taken");
        }
        assertThat(reads.get()).as("5 refusals on the cached copy: one check each").isEqualTo(5);
        watched.createProject(ws, admin, "api", "private");
        assertThat(reads.get()).as("the command after them, on the copy they kept").isEqualTo(5);

        String elsewhere = "refused-elsewhere"; // never loaded by the watched node
        String other = first.createWorkspace(elsewhere, "alice").path("token").path("secret").asText();
        first.createServiceAccount(elsewhere, other, "bot");
        reads.set(0);
        for (int i = 0; i < 3; i++) {
            watched.command("POST", serviceAccounts(elsewhere)).token(other).json(Map.of("name", "BOT")).send()
                    .expectProblem(409, "service-account-name-taken");
        }
        // the load: the events, then an empty batch (Axon reads until one comes back empty); then a check each
        assertThat(reads.get()).as("one load, then one check per refusal").isEqualTo(2 + 2);
    }

    /**
     * A new workspace, created on the watched node with a project {@code web} and an account {@code web-bot}: its
     * copy is in the watched node's memory, current. Returns the admin's token.
     */
    private static String cachedOnWatched(String ws) {
        String admin = watched.createWorkspace(ws, "alice").path("token").path("secret").asText();
        watched.createProject(ws, admin, "web", "private");
        watched.createServiceAccount(ws, admin, "web-bot");
        return admin;
    }
}
