package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.svcaccounts.system.support.Api.projectMember;
import static dev.svcaccounts.system.support.Api.serviceAccount;
import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static dev.svcaccounts.system.support.Api.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * Project owners see the workspace's service accounts, over HTTP: a principal owning a project, user or service
 * account, lists and reads them as a summary (enough to assign one); their tokens and the {@code ?at=} history stay
 * for admins; anyone else gets 403 naming who may; ownership counts as of the request, so losing the last one
 * refuses the very next read. Each test works in a workspace of its own.
 */
class OwnersSeeServiceAccountsIT {

    private static final List<String> SUMMARY = List.of("id", "name", "description", "status", "createdAt");

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("owners-see-service-accounts");
    private static Api api;
    private static Workspaces workspaces;

    @BeforeAll
    static void setUp() {
        api = system.api();
        workspaces = new Workspaces(api);
    }

    @Test
    void anOwnerUserAndAnOwnerServiceAccount_listAndReadTheAccounts_asASummary_whileAdminsSeeEverything() {
        Principal admin = workspaces.fresh("summary");
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "deployments", "private");
        Principal olivia = workspaces.user(admin, "olivia", "member");
        Principal ownerBot = workspaces.serviceAccount(admin, "owner-bot");
        api.assignMember(ws, admin.token(), "deployments", olivia.id(), "owner");
        api.assignServiceAccount(ws, admin.token(), "deployments", ownerBot.id(), "owner");
        String deployer = api.command("POST", serviceAccounts(ws)).token(admin.token())
                .json(Map.of("name", "deployer", "description", "pushes releases")).send().expect(201).json()
                .path("id").asText();
        Principal paused = workspaces.serviceAccount(admin, "paused");
        api.deactivate(ws, admin.token(), paused.id());
        system.awaitProjectionsCaughtUp();

        JsonNode full = api.getServiceAccount(ws, admin.token(), deployer).expect(200).json();
        assertThat(fields(full)).contains("createdBy", "activeTokens", "tokens", "projects", "access");
        for (Principal owner : List.of(olivia, ownerBot)) {
            JsonNode page = api.listServiceAccounts(ws, owner.token()).expect(200).json();
            assertThat(Json.texts(Json.items(page), "name")).as(owner.name())
                    .containsExactly("deployer", "owner-bot", "paused");
            JsonNode listed = Json.findById(page, deployer).orElseThrow();
            assertThat(fields(listed)).as(owner.name()).containsExactlyInAnyOrderElementsOf(SUMMARY);
            assertThat(listed.path("description").asText()).isEqualTo("pushes releases");
            assertThat(listed.path("status").asText()).isEqualTo("active");
            assertThat(listed.path("createdAt").asText()).isEqualTo(full.path("createdAt").asText());

            JsonNode read = api.getServiceAccount(ws, owner.token(), deployer).expect(200).json();
            assertThat(read).as(owner.name()).isEqualTo(listed);
            JsonNode deactivated = api.listServiceAccounts(ws, owner.token(), "deactivated").expect(200).json();
            assertThat(Json.items(deactivated)).singleElement()
                    .satisfies(account -> assertThat(account.path("id").asText()).isEqualTo(paused.id()))
                    // no description: left out, as the view leaves out what an account does not have
                    .satisfies(account -> assertThat(fields(account))
                            .containsExactlyInAnyOrder("id", "name", "status", "createdAt"));
            api.getServiceAccount(ws, owner.token(), "00000000-0000-0000-0000-000000000000")
                    .expectProblem(404, "service-account-not-found");
        }
    }

    @Test
    void tokensAndHistory_stayForAdmins_evenForOwners() {
        Principal admin = workspaces.fresh("tokens");
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "deployments", "private");
        Principal olivia = workspaces.user(admin, "olivia", "member");
        Principal ownerBot = workspaces.serviceAccount(admin, "owner-bot");
        api.assignMember(ws, admin.token(), "deployments", olivia.id(), "owner");
        api.assignServiceAccount(ws, admin.token(), "deployments", ownerBot.id(), "owner");
        Principal deployer = workspaces.serviceAccount(admin, "deployer");
        system.awaitProjectionsCaughtUp();
        String at = Instant.now().toString();

        for (Principal owner : List.of(olivia, ownerBot)) {
            for (Response refused : List.of(
                    api.query("GET", tokens(ws, deployer.id())).token(owner.token()).send(),
                    api.query("GET", serviceAccount(ws, deployer.id())).param("at", at).token(owner.token()).send(),
                    // the owner account's own tokens too: only admins read a service account's token metadata
                    api.query("GET", tokens(ws, ownerBot.id())).token(owner.token()).send())) {
                refused.expectProblem(403, "workspace-admin-required");
                assertThat(refused.body()).doesNotContain(deployer.tokenId());
            }
        }
        assertThat(Json.items(api.listTokens(ws, admin.token(), deployer.id()).expect(200).json())).hasSize(1);
        api.query("GET", serviceAccount(ws, deployer.id())).param("at", at).token(admin.token()).send().expect(200);
    }

    @Test
    void everyoneElse_isRefusedWith403NamingWhoMay_andAnotherWorkspaceIs404() {
        Principal admin = workspaces.fresh("refused");
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "shared", "workspace");
        Principal max = workspaces.user(admin, "max", "member");
        Principal contributor = workspaces.serviceAccount(admin, "contributor-bot");
        Principal viewer = workspaces.serviceAccount(admin, "viewer-bot");
        Principal unassigned = workspaces.serviceAccount(admin, "unassigned-bot");
        api.assignMember(ws, admin.token(), "shared", max.id(), "contributor");
        api.assignServiceAccount(ws, admin.token(), "shared", contributor.id(), "contributor");
        api.assignServiceAccount(ws, admin.token(), "shared", viewer.id(), "viewer");
        Principal elsewhere = workspaces.fresh("elsewhere");

        assertSoftly(soft -> {
            for (Principal outsider : List.of(max, contributor, viewer, unassigned)) {
                for (Response response : List.of(api.listServiceAccounts(ws, outsider.token()),
                        api.getServiceAccount(ws, outsider.token(), viewer.id()))) {
                    soft.assertThat(response.status()).as(outsider.name() + ": " + response).isEqualTo(403);
                    soft.assertThat(response.problemCode()).as(outsider.name() + ": " + response)
                            .isEqualTo("project-owner-or-admin-required");
                    soft.assertThat(response.detail()).as(outsider.name()).containsIgnoringCase("admin")
                            .containsIgnoringCase("owner");
                }
            }
            for (Response response : List.of(api.listServiceAccounts(ws, elsewhere.token()),
                    api.getServiceAccount(ws, elsewhere.token(), viewer.id()))) {
                soft.assertThat(response.status()).as(response.toString()).isEqualTo(404);
                soft.assertThat(response.problemCode()).isEqualTo("workspace-not-found");
            }
        });
    }

    @Test
    void creatingAProject_makesItsCreatorAReader_andLosingTheLastOwnership_refusesTheVeryNextRequest() {
        Principal admin = workspaces.fresh("lost");
        String ws = admin.ws();
        Principal olivia = workspaces.user(admin, "olivia", "member");
        Principal ownerBot = workspaces.serviceAccount(admin, "owner-bot");
        system.awaitProjectionsCaughtUp();
        api.listServiceAccounts(ws, olivia.token()).expectProblem(403, "project-owner-or-admin-required");
        api.listServiceAccounts(ws, ownerBot.token()).expectProblem(403, "project-owner-or-admin-required");

        // each creates a project and owns it: readers at once (the check reads the credential tables)
        api.createProject(ws, olivia.token(), "notebooks", "private");
        api.createProject(ws, ownerBot.token(), "pipelines", "private");
        api.assignMember(ws, admin.token(), "pipelines", olivia.id(), "owner");
        List<String> seen = new ArrayList<>();
        for (Principal owner : List.of(olivia, ownerBot)) {
            seen.add(Json.findById(api.listServiceAccounts(ws, owner.token()).expect(200).json(), ownerBot.id())
                    .orElseThrow().path("name").asText());
        }
        assertThat(seen).containsExactly("owner-bot", "owner-bot");

        // olivia owns two projects: losing one keeps her a reader, losing the last one does not
        api.command("DELETE", projectMember(ws, "notebooks", olivia.id())).token(admin.token()).send().expect(204);
        api.getServiceAccount(ws, olivia.token(), ownerBot.id()).expect(200);
        api.assignMember(ws, admin.token(), "pipelines", olivia.id(), "contributor");
        api.getServiceAccount(ws, olivia.token(), ownerBot.id())
                .expectProblem(403, "project-owner-or-admin-required");
        api.listServiceAccounts(ws, olivia.token()).expectProblem(403, "project-owner-or-admin-required");

        // the account's only project is deleted: its very next read is refused
        api.deleteProject(ws, admin.token(), "pipelines");
        api.listServiceAccounts(ws, ownerBot.token()).expectProblem(403, "project-owner-or-admin-required");
    }

    private static List<String> fields(JsonNode node) {
        List<String> fields = new ArrayList<>();
        node.fieldNames().forEachRemaining(fields::add);
        return fields;
    }
}
