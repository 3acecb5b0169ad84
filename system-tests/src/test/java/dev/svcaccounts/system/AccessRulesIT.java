package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Access;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Probe;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.svcaccounts.system.support.Access.grants;
import static dev.svcaccounts.system.support.Access.scope;
import static dev.svcaccounts.system.support.Api.member;
import static dev.svcaccounts.system.support.Api.members;
import static dev.svcaccounts.system.support.Api.project;
import static dev.svcaccounts.system.support.Api.projectMember;
import static dev.svcaccounts.system.support.Api.projectServiceAccount;
import static dev.svcaccounts.system.support.Api.projects;
import static dev.svcaccounts.system.support.Api.serviceAccount;
import static dev.svcaccounts.system.support.Api.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * The seed's access rules, one test each, over HTTP: who gets into which project and why, what a role lets a
 * principal do, who manages assignments and tokens, what service accounts can never do, and tenancy. Then what
 * happens to access when members are removed and service accounts are deactivated, reactivated or deleted.
 *
 * <p>Each test works in a workspace of its own, so what {@code /v1/me} and the listings show is exactly what
 * the test did. Access decisions, {@code /v1/me} and introspection are right the moment a command returns; the
 * listings' content comes from read models, so those are read with {@link Eventually}.
 */
class AccessRulesIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("access-rules");
    private static Api api;
    private static Workspaces workspaces;

    @BeforeAll
    static void setUp() {
        api = system.api();
        workspaces = new Workspaces(api);
    }

    // ------------------------------------------------------------------ rule 1

    @Test
    void rule1_serviceAccountHasNoAccess_toAWorkspaceVisibleProject_untilAssigned() {
        Principal admin = workspaces.fresh("rule1");
        String ws = admin.ws();
        Principal robot = workspaces.serviceAccount(admin, "robot");
        Principal mia = workspaces.user(admin, "mia", "member");
        String key = "shared-by-all";
        api.createProject(ws, admin.token(), key, "workspace");

        // the account cannot reach it, and cannot tell it exists: 404, as for a project that does not exist
        assertSoftly(soft -> {
            for (Response response : List.of(
                    api.getProject(ws, robot.token(), key),
                    api.projectAccess(ws, robot.token(), key),
                    api.projectServiceAccounts(ws, robot.token(), key),
                    api.projectMembers(ws, robot.token(), key),
                    api.command("PATCH", project(ws, key)).token(robot.token()).json(Map.of("name", "mine")).send())) {
                soft.assertThat(response.status()).as(response.toString()).isEqualTo(404);
                soft.assertThat(response.problemCode()).as(response.toString()).isEqualTo("project-not-found");
            }
        });
        Response noSuchProject = api.getProject(ws, robot.token(), "no-such-project");
        assertThat(noSuchProject.status()).isEqualTo(404);
        Response hidden = api.getProject(ws, robot.token(), key);
        assertThat(hidden.problemCode()).as("the same answer as for a missing project")
                .isEqualTo(noSuchProject.problemCode());
        assertThat(String.valueOf(hidden.detail()).replace(key, "?"))
                .isEqualTo(String.valueOf(noSuchProject.detail()).replace("no-such-project", "?"));
        assertThat(meProject(robot.token(), key)).as("/v1/me of the unassigned account").isEmpty();
        assertThat(api.introspect(robot.token()).path("projects").has(key)).as("introspection").isFalse();
        Eventually.read(() -> api.listProjects(ws, admin.token()),
                page -> assertThat(keys(page)).contains(key));
        assertThat(keys(api.listProjects(ws, robot.token()).expect(200).json())).as("the account's project list")
                .doesNotContain(key);

        // a plain member of the workspace is a contributor there through the visibility, without any assignment
        JsonNode miasView =
                meProject(mia.token(), key).orElseThrow(() -> new AssertionError("mia's /v1/me lacks " + key));
        assertThat(miasView.path("role").asText()).isEqualTo("contributor");
        assertThat(grants(miasView)).containsExactly("visibility:contributor");
        assertThat(Json.texts(miasView.path("permissions"))).containsExactlyInAnyOrder("read", "write");
        Eventually.read(() -> api.getProject(ws, mia.token(), key),
                project -> assertThat(project.path("role").asText()).isEqualTo("contributor"));

        // public visibility gives a service account nothing either
        api.changeVisibility(ws, admin.token(), key, "public");
        assertThat(api.getProject(ws, robot.token(), key).status()).as("unassigned account, public project")
                .isEqualTo(404);
        assertThat(meProject(robot.token(), key)).isEmpty();
        assertThat(meProject(mia.token(), key).orElseThrow(AccessRulesIT::absent).path("role").asText())
                .isEqualTo("contributor");

        // assigned: now it has the role it was given, and only that, at once
        api.assignServiceAccount(ws, admin.token(), key, robot.id(), "viewer");
        JsonNode robotsView =
                meProject(robot.token(), key).orElseThrow(() -> new AssertionError("not in /v1/me once assigned"));
        assertThat(robotsView.path("role").asText()).isEqualTo("viewer");
        assertThat(grants(robotsView)).containsExactly("explicit:viewer");
        assertThat(api.introspect(robot.token()).path("projects").path(key).asText()).isEqualTo("viewer");
        assertThat(api.getProject(ws, robot.token(), key).status()).isNotEqualTo(404);
        Eventually.read(() -> api.getProject(ws, robot.token(), key),
                project -> assertThat(project.path("role").asText()).isEqualTo("viewer"));
        Eventually.read(() -> api.listProjects(ws, robot.token()), page -> {
            assertThat(keys(page)).containsExactly(key);
            JsonNode item = Json.items(page).get(0);
            assertThat(item.path("role").asText()).isEqualTo("viewer");
            assertThat(item.path("name").asText()).isEqualTo("Project " + key);
            assertThat(item.path("visibility").asText()).isEqualTo("public");
            assertDoneBy(item, "created", admin);
        });
        // a user's list holds every project of the workspace, with its own role in each (null where none)
        api.createProject(ws, admin.token(), "admins-only", "private");
        Eventually.read(() -> api.listProjects(ws, mia.token()), page -> {
            assertThat(keys(page)).containsExactlyInAnyOrder("admins-only", key);
            assertThat(Json.item(page, "key", key).path("role").asText()).isEqualTo("contributor");
            assertThat(Json.item(page, "key", "admins-only").path("role").isNull())
                    .as("mia's role in a private project she is not in").isTrue();
        });
        api.getProject(ws, mia.token(), "admins-only").expectProblem(403, "project-read-required");
    }

    // ------------------------------------------------------------------ rule 2

    @Test
    void rule2_viewerReadsOnly_contributorMayAct_ownerMayManage() {
        Principal admin = workspaces.fresh("rule2");
        String ws = admin.ws();
        String key = "models";
        api.createProject(ws, admin.token(), key, "private");
        Principal viewer = workspaces.serviceAccount(admin, "viewer-bot");
        Principal contributor = workspaces.serviceAccount(admin, "contributor-bot");
        Principal owner = workspaces.serviceAccount(admin, "owner-bot");
        Principal bystander = workspaces.serviceAccount(admin, "bystander");
        api.assignServiceAccount(ws, admin.token(), key, viewer.id(), "viewer");
        api.assignServiceAccount(ws, admin.token(), key, contributor.id(), "contributor");
        api.assignServiceAccount(ws, admin.token(), key, owner.id(), "owner");

        Map<Principal, List<String>> permissions = Map.of(
                viewer, List.of("read"),
                contributor, List.of("read", "write"),
                owner, List.of("read", "write", "manage"));
        permissions.forEach((principal, expected) -> {
            JsonNode me = meProject(principal.token(), key).orElseThrow(AccessRulesIT::absent);
            String role = principal.name().replace("-bot", "");
            assertThat(me.path("role").asText()).as(principal.name()).isEqualTo(role);
            assertThat(Json.texts(me.path("permissions"))).as(principal.name() + " permissions")
                    .containsExactlyInAnyOrderElementsOf(expected);
            JsonNode introspection = api.introspect(principal.token());
            assertThat(introspection.path("projects").path(key).asText()).as(principal.name()).isEqualTo(role);
            assertThat(scope(introspection)).as(principal.name() + " scope")
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(p -> key + ":" + p).toList());
        });

        // all three read
        for (Principal reader : List.of(viewer, contributor, owner)) {
            assertThat(api.getProject(ws, reader.token(), key).status()).as(reader.name()).isEqualTo(200);
            assertThat(api.projectAccess(ws, reader.token(), key).status()).as(reader.name()).isEqualTo(200);
            assertThat(api.projectServiceAccounts(ws, reader.token(), key).status()).as(reader.name()).isEqualTo(200);
        }
        // only the owner manages
        for (Principal nonOwner : List.of(viewer, contributor)) {
            api.command("PATCH", project(ws, key)).token(nonOwner.token())
                    .json(Map.of("name", "renamed by " + nonOwner.name())).send()
                    .expectProblem(403, "project-manage-required");
            api.command("PUT", projectServiceAccount(ws, key, bystander.id())).token(nonOwner.token())
                    .json(Map.of("role", "viewer")).send()
                    .expectProblem(403, "project-manage-required");
        }
        assertThat(api.updateProject(ws, owner.token(), key, Map.of("name", "Models")).path("name").asText())
                .isEqualTo("Models");
    }

    // ------------------------------------------------------------------ rule 3

    @Test
    void rule3_adminsAndProjectOwnersManageAssignments_membersWhoAreNotOwnersCannot() {
        Principal admin = workspaces.fresh("rule3");
        String ws = admin.ws();
        String key = "pipeline";
        api.createProject(ws, admin.token(), key, "private");
        Principal owner = workspaces.user(admin, "olga", "member");
        Principal contributor = workspaces.user(admin, "carl", "member");
        Principal plain = workspaces.user(admin, "pete", "member");
        Principal target = workspaces.serviceAccount(admin, "target");
        Principal tina = workspaces.user(admin, "tina", "member");
        api.assignMember(ws, admin.token(), key, owner.id(), "owner");
        api.assignMember(ws, admin.token(), key, contributor.id(), "contributor");

        // members who are not owners: 403 naming the permission, for accounts and users alike
        for (Principal refused : List.of(contributor, plain)) {
            api.command("PUT", projectServiceAccount(ws, key, target.id())).token(refused.token())
                    .json(Map.of("role", "viewer")).send().expectProblem(403, "project-manage-required");
            api.command("PUT", projectMember(ws, key, "tina")).token(refused.token())
                    .json(Map.of("role", "viewer")).send().expectProblem(403, "project-manage-required");
        }

        // the owner (a plain member of the workspace) assigns, changes and removes
        JsonNode assigned = api.assignServiceAccount(ws, owner.token(), key, target.id(), "viewer");
        assertThat(assigned.path("project").asText()).isEqualTo(key);
        assertRefersTo(assigned.path("assignee"), target);
        assertThat(assigned.path("role").asText()).isEqualTo("viewer");
        assertThat(assigned.path("previousRole").isNull()).as("previousRole of a new assignment: " + assigned).isTrue();
        long head = system.eventStoreHead();
        assertThat(api.assignServiceAccount(ws, owner.token(), key, target.id(), "viewer").path("role").asText())
                .as("the same role again").isEqualTo("viewer");
        assertThat(system.eventStoreHead()).as("the same role again appends no event").isEqualTo(head);
        JsonNode userAssigned = api.assignMember(ws, owner.token(), key, "tina", "contributor");
        assertRefersTo(userAssigned.path("assignee"), tina);

        // the admin, without any project role, too
        JsonNode changed = api.assignServiceAccount(ws, admin.token(), key, target.id(), "contributor");
        assertThat(changed.path("previousRole").asText()).isEqualTo("viewer");
        assertThat(changed.path("role").asText()).isEqualTo("contributor");

        // a contributor cannot remove either, even when the visibility makes everyone a contributor
        api.changeVisibility(ws, admin.token(), key, "workspace");
        for (Principal refused : List.of(contributor, plain)) {
            api.command("DELETE", projectServiceAccount(ws, key, target.id())).token(refused.token()).send()
                    .expectProblem(403, "project-manage-required");
            api.command("DELETE", projectMember(ws, key, "tina")).token(refused.token()).send()
                    .expectProblem(403, "project-manage-required");
        }
        api.unassignServiceAccount(ws, owner.token(), key, target.id());
        api.unassignMember(ws, admin.token(), key, "tina");
        api.command("DELETE", projectServiceAccount(ws, key, target.id())).token(owner.token()).send()
                .expectProblem(404, "assignment-not-found");
        api.command("DELETE", projectMember(ws, key, "tina")).token(owner.token()).send()
                .expectProblem(404, "assignment-not-found");

        // owning a project gives no workspace-level power
        api.command("POST", members(ws)).token(owner.token())
                .json(Map.of("username", "sneaky", "role", "member")).send()
                .expectProblem(403, "workspace-admin-required");

        // an absence holds before the assignment is applied as well: wait for every event first
        system.awaitProjectionsCaughtUp();
        Eventually.read(() -> api.projectServiceAccounts(ws, admin.token(), key),
                page -> assertThat(Json.items(page)).isEmpty());
        Eventually.read(() -> api.projectMembers(ws, admin.token(), key),
                page -> {
                    assertThat(usernames(page)).as("the creator is an owner too")
                            .containsExactlyInAnyOrder("alice", "olga", "carl");
                    JsonNode olga = Json.item(page, "username", "olga");
                    assertThat(olga.path("role").asText()).isEqualTo("owner");
                    assertDoneBy(olga, "assigned", admin);
                });
    }

    // ------------------------------------------------------------------ rule 4

    @Test
    void rule4_onlyWorkspaceAdminsManageServiceAccountTokens_notProjectOwners() {
        Principal admin = workspaces.fresh("rule4");
        String ws = admin.ws();
        String key = "deployments";
        api.createProject(ws, admin.token(), key, "private");
        Principal ownerUser = workspaces.user(admin, "olivia", "member");
        Principal ownerSa = workspaces.serviceAccount(admin, "owner-bot");
        Principal target = workspaces.serviceAccount(admin, "deployer");
        api.assignMember(ws, admin.token(), key, ownerUser.id(), "owner");
        api.assignServiceAccount(ws, admin.token(), key, ownerSa.id(), "owner");
        api.assignServiceAccount(ws, admin.token(), key, target.id(), "contributor");

        for (Principal owner : List.of(ownerUser, ownerSa)) {
            assertSoftly(soft -> {
                for (Response response : List.of(
                        api.command("POST", tokens(ws, target.id())).token(owner.token()).send(),
                        api.command("DELETE", tokens(ws, target.id()) + "/" + target.tokenId())
                                .token(owner.token()).send(),
                        api.command("POST", serviceAccount(ws, target.id()) + "/deactivate")
                                .token(owner.token()).send(),
                        api.command("PATCH", serviceAccount(ws, target.id())).token(owner.token())
                                .json(Map.of("description", "mine now")).send(),
                        api.query("GET", tokens(ws, target.id())).token(owner.token()).send())) {
                    soft.assertThat(response.status()).as(owner.name() + ": " + response).isEqualTo(403);
                    soft.assertThat(response.problemCode()).as(owner.name() + ": " + response)
                            .isEqualTo("workspace-admin-required");
                    soft.assertThat(response.detail()).as(owner.name() + ": " + response).containsIgnoringCase("admin");
                }
            });
        }
        // the owners may read the account, to assign it: its summary, without tokens (OwnersSeeServiceAccountsIT)
        for (Principal owner : List.of(ownerUser, ownerSa)) {
            JsonNode summary = Eventually.read(() -> api.getServiceAccount(ws, owner.token(), target.id()),
                    account -> assertThat(account.path("name").asText()).isEqualTo("deployer"));
            assertThat(summary.has("tokens")).as(owner.name()).isFalse();
        }
        // the target's token still works, and the admin does all of it
        assertThat(meProject(target.token(), key)).isPresent();
        JsonNode issued = api.issueToken(ws, admin.token(), target.id());
        api.revokeToken(ws, admin.token(), target.id(), issued.path("id").asText());
        assertThat(api.me(issued.path("secret").asText()).status()).isEqualTo(401);
        // the admin's view of the account lists its project roles
        Eventually.read(() -> api.getServiceAccount(ws, admin.token(), target.id()), account -> {
            List<JsonNode> projects = Json.list(account.path("projects"));
            assertThat(projects).hasSize(1);
            assertThat(projects.get(0).path("key").asText()).isEqualTo(key);
            assertThat(projects.get(0).path("role").asText()).isEqualTo("contributor");
        });
    }

    // ------------------------------------------------------------------ rule 5

    @Test
    void rule5_serviceAccountsNeverDeleteProjects_norHoldTheWorkspaceAdminRole() {
        Principal admin = workspaces.fresh("rule5");
        String ws = admin.ws();
        Principal owner = workspaces.serviceAccount(admin, "owner-bot");
        // its own project, even: the creator becomes owner
        JsonNode created = api.createProject(ws, owner.token(), "bots-own", "private");
        assertThat(created.path("role").asText()).isEqualTo("owner");
        assertRefersTo(created.path("createdBy"), owner);
        api.createProject(ws, admin.token(), "assigned", "workspace");
        api.assignServiceAccount(ws, admin.token(), "assigned", owner.id(), "owner");

        for (String key : List.of("bots-own", "assigned")) {
            Response delete = api.command("DELETE", project(ws, key)).token(owner.token()).send()
                    .expectProblem(403, "service-accounts-cannot-delete-projects");
            assertThat(delete.detail()).as("the detail says why").containsIgnoringCase("service account")
                    .containsIgnoringCase("delete");
            assertThat(meProject(owner.token(), key)).as(key + " still there").isPresent();
        }

        // any account, whatever it can see: refused for what it is, before the project is looked up, so the answer
        // is the same for a project it cannot see and one that does not exist (rule 1: it learns nothing)
        Principal unassigned = workspaces.serviceAccount(admin, "unassigned-bot");
        api.createProject(ws, admin.token(), "unseen", "private");
        Response unseen = api.command("DELETE", project(ws, "unseen")).token(unassigned.token()).send();
        Response missing = api.command("DELETE", project(ws, "no-such-project")).token(unassigned.token()).send();
        unseen.expectProblem(403, "service-accounts-cannot-delete-projects");
        missing.expectProblem(403, "service-accounts-cannot-delete-projects");
        assertThat(unseen.detail()).isEqualTo(missing.detail());
        assertThat(api.getProject(ws, unassigned.token(), "unseen").status()).isEqualTo(404);

        // admin-only things: refused, and the detail says a service account is never a workspace admin
        for (Response response : List.of(
                api.command("POST", members(ws)).token(owner.token())
                        .json(Map.of("username", "bots-friend", "role", "admin")).send(),
                api.command("PATCH", member(ws, "alice")).token(owner.token()).json(Map.of("role", "member")).send(),
                api.command("POST", Api.serviceAccounts(ws)).token(owner.token())
                        .json(Map.of("name", "bot-made")).send())) {
            response.expectProblem(403, "workspace-admin-required");
            assertThat(response.detail()).as(response.toString()).containsIgnoringCase("service account")
                    .containsIgnoringCase("admin");
        }
        // it is no member, so it cannot be made admin either
        assertThat(api.command("PATCH", member(ws, owner.id())).token(admin.token())
                .json(Map.of("role", "admin")).send().status())
                .as("making a service account (by id) a workspace admin").isEqualTo(404);
        assertThat(api.command("PATCH", member(ws, owner.name())).token(admin.token())
                .json(Map.of("role", "admin")).send().status())
                .as("making a service account (by name) a workspace admin").isEqualTo(404);

        JsonNode me = api.me(owner.token()).expect(200).json();
        assertThat(me.path("type").asText()).isEqualTo("service_account");
        assertThat(Json.text(me, "workspaceRole")).as("a service account's workspace role").isNull();
        assertThat(api.introspect(owner.token()).has("workspace_role")).isFalse();
        Eventually.read(() -> api.listMembers(ws, admin.token()),
                page -> assertThat(usernames(page)).containsExactly("alice"));

        // the admin deletes
        api.deleteProject(ws, admin.token(), "bots-own");
        assertThat(meProject(owner.token(), "bots-own")).isEmpty();
        assertThat(api.getProject(ws, admin.token(), "bots-own").status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ rule 6

    @Test
    void rule6_anOwnerServiceAccount_assignsOthers_changesRolesAndVisibility() {
        Principal admin = workspaces.fresh("rule6");
        String ws = admin.ws();
        Principal owner = workspaces.serviceAccount(admin, "owner-bot");
        Principal helper = workspaces.serviceAccount(admin, "helper-bot");
        Principal outsider = workspaces.serviceAccount(admin, "outsider-bot");
        Principal uma = workspaces.user(admin, "uma", "member");
        workspaces.user(admin, "vic", "member");
        String key = "automation";
        api.createProject(ws, admin.token(), key, "private");
        api.assignServiceAccount(ws, admin.token(), key, owner.id(), "owner");

        JsonNode assigned = api.assignServiceAccount(ws, owner.token(), key, helper.id(), "viewer");
        assertThat(assigned.path("role").asText()).isEqualTo("viewer");
        assertThat(api.introspect(helper.token()).path("projects").path(key).asText()).isEqualTo("viewer");
        JsonNode promoted = api.assignServiceAccount(ws, owner.token(), key, helper.id(), "contributor");
        assertThat(promoted.path("previousRole").asText()).isEqualTo("viewer");
        assertThat(api.introspect(helper.token()).path("projects").path(key).asText()).isEqualTo("contributor");
        api.assignMember(ws, owner.token(), key, uma.id(), "viewer");
        JsonNode visible = api.changeVisibility(ws, owner.token(), key, "workspace");
        assertThat(visible.path("visibility").asText()).isEqualTo("workspace");
        assertThat(api.updateProject(ws, owner.token(), key, Map.of("name", "Automation")).path("name").asText())
                .isEqualTo("Automation");

        Eventually.read(() -> api.projectAccess(ws, owner.token(), key), access -> {
            assertThat(access.path("project").asText()).isEqualTo(key);
            assertThat(access.path("visibility").asText()).isEqualTo("workspace");
            assertThat(accessOf(access, owner.id())).hasValueSatisfying(item -> {
                assertThat(item.path("principal").path("type").asText()).isEqualTo("service_account");
                assertThat(item.path("principal").path("name").asText()).isEqualTo("owner-bot");
                assertThat(item.path("role").asText()).isEqualTo("owner");
                assertThat(grants(item)).containsExactly("explicit:owner");
            });
            assertThat(accessOf(access, helper.id())).hasValueSatisfying(item -> {
                assertThat(item.path("role").asText()).isEqualTo("contributor");
                assertThat(grants(item)).containsExactly("explicit:contributor");
                assertThat(item.path("status").asText()).isEqualTo("active");
            });
            assertThat(accessOf(access, "uma")).as("explicit viewer, contributor through visibility")
                    .hasValueSatisfying(item -> {
                        assertThat(item.path("role").asText()).isEqualTo("contributor");
                        assertThat(grants(item)).containsExactlyInAnyOrder("explicit:viewer", "visibility:contributor");
                    });
            assertThat(accessOf(access, "vic")).hasValueSatisfying(item -> {
                assertThat(item.path("role").asText()).isEqualTo("contributor");
                assertThat(grants(item)).containsExactly("visibility:contributor");
            });
            assertThat(accessOf(access, "alice")).as("the admin, who created it").hasValueSatisfying(item -> {
                assertThat(item.path("role").asText()).isEqualTo("owner");
                assertThat(grants(item)).contains("explicit:owner", "workspace-admin:owner");
            });
            assertThat(accessOf(access, outsider.id())).as("an unassigned account, whatever the visibility").isEmpty();
        });
        Eventually.read(() -> api.projectServiceAccounts(ws, owner.token(), key), page -> {
            JsonNode item = Json.item(page, "id", helper.id());
            assertThat(item.path("name").asText()).isEqualTo("helper-bot");
            assertThat(item.path("role").asText()).isEqualTo("contributor");
            assertThat(item.path("effectiveRole").asText()).isEqualTo("contributor");
            assertThat(item.path("status").asText()).isEqualTo("active");
            assertDoneBy(item, "assigned", owner);
        });

        // and takes it back
        api.unassignServiceAccount(ws, owner.token(), key, helper.id());
        assertThat(api.introspect(helper.token()).path("projects").has(key)).isFalse();
        assertThat(api.getProject(ws, helper.token(), key).status()).isEqualTo(404);
        Eventually.read(() -> api.projectAccess(ws, owner.token(), key),
                access -> assertThat(accessOf(access, helper.id())).isEmpty());
    }

    // ------------------------------------------------------------------ rule 7

    @Test
    void rule7_tenancy_nothingOfOneWorkspaceIsVisibleToOrChangeableByAnother() {
        Principal admin = workspaces.fresh("rule7-a");
        Principal oscar = workspaces.fresh("rule7-b", "oscar");
        String ws = admin.ws();
        String otherWs = oscar.ws();
        Principal robot = workspaces.serviceAccount(admin, "robot");
        Principal foreignRobot = workspaces.serviceAccount(oscar, "robot");
        workspaces.user(admin, "ann", "member");
        workspaces.user(oscar, "otto", "member");
        // the same key in both workspaces: two different projects
        api.createProject(ws, admin.token(), "same-key", "workspace");
        api.createProject(otherWs, oscar.token(), "same-key", "private");
        api.createProject(otherWs, oscar.token(), "only-there", "workspace");
        api.command("POST", projects(ws)).token(admin.token())
                .json(Map.of("key", "same-key", "name", "Again", "visibility", "private")).send()
                .expectProblem(409, "project-exists");
        api.assignServiceAccount(ws, admin.token(), "same-key", robot.id(), "owner");
        api.assignServiceAccount(otherWs, oscar.token(), "only-there", foreignRobot.id(), "owner");

        assertSoftly(soft -> {
            for (Principal foreign : List.of(oscar, foreignRobot)) {
                for (Response response : List.of(
                        api.getProject(ws, foreign.token(), "same-key"),
                        api.projectAccess(ws, foreign.token(), "same-key"),
                        api.projectServiceAccounts(ws, foreign.token(), "same-key"),
                        api.projectMembers(ws, foreign.token(), "same-key"),
                        api.listProjects(ws, foreign.token()),
                        api.listMembers(ws, foreign.token()),
                        api.command("PATCH", project(ws, "same-key")).token(foreign.token())
                                .json(Map.of("name", "x")).send(),
                        api.command("DELETE", project(ws, "same-key")).token(foreign.token()).send(),
                        api.command("PUT", projectServiceAccount(ws, "same-key", foreignRobot.id()))
                                .token(foreign.token()).json(Map.of("role", "owner")).send(),
                        api.command("PUT", projectMember(ws, "same-key", "otto")).token(foreign.token())
                                .json(Map.of("role", "owner")).send(),
                        api.command("POST", projects(ws)).token(foreign.token())
                                .json(Map.of("key", "planted", "name", "Planted", "visibility", "private")).send(),
                        api.command("POST", members(ws)).token(foreign.token())
                                .json(Map.of("username", "planted", "role", "admin")).send())) {
                    soft.assertThat(response.status()).as(foreign.name() + ": " + response).isEqualTo(404);
                    soft.assertThat(response.isProblem()).as(foreign.name() + ": " + response).isTrue();
                }
            }
            // another workspace's account or user cannot be assigned here, even by this workspace's admin
            Response foreignAccount = api.command("PUT", projectServiceAccount(ws, "same-key", foreignRobot.id()))
                    .token(admin.token()).json(Map.of("role", "viewer")).send();
            soft.assertThat(foreignAccount.status()).as(foreignAccount.toString()).isEqualTo(404);
            soft.assertThat(foreignAccount.problemCode()).isEqualTo("service-account-not-found");
            Response foreignUser = api.command("PUT", projectMember(ws, "same-key", "otto"))
                    .token(admin.token()).json(Map.of("role", "viewer")).send();
            soft.assertThat(foreignUser.status()).as(foreignUser.toString()).isEqualTo(404);
            soft.assertThat(foreignUser.problemCode()).isEqualTo("member-not-found");
            Response unknownAccount = api.command("PUT", projectServiceAccount(ws, "same-key", Probe.NO_SUCH_ACCOUNT))
                    .token(admin.token()).json(Map.of("role", "viewer")).send();
            soft.assertThat(unknownAccount.status()).as(unknownAccount.toString()).isEqualTo(404);
            soft.assertThat(api.getProject(ws, admin.token(), "only-there").status()).isEqualTo(404);
        });

        // each side sees exactly its own
        assertThat(introspectedProjects(robot.token())).isEqualTo(Map.of("same-key", "owner"));
        assertThat(introspectedProjects(foreignRobot.token())).isEqualTo(Map.of("only-there", "owner"));
        assertThat(introspectedProjects(oscar.token())).isEqualTo(Map.of("same-key", "owner", "only-there", "owner"));
        assertThat(introspectedProjects(admin.token())).isEqualTo(Map.of("same-key", "owner"));
        assertThat(api.introspect(robot.token()).path("workspace").asText()).isEqualTo(ws);
        assertThat(api.introspect(foreignRobot.token()).path("workspace").asText()).isEqualTo(otherWs);
        String annsToken = api.issueMemberToken(ws, admin.token(), "ann").path("secret").asText();
        assertThat(Access.projects(api.introspectFor(annsToken, "same-key").expect(200).json()))
                .isEqualTo(Map.of("same-key", "contributor"));
        assertThat(Access.projects(api.introspectFor(annsToken, "only-there").expect(200).json())).isEmpty();
        assertThat(api.introspect(annsToken).path("implicit_access").path("visibility").asText())
                .isEqualTo("contributor");
        Eventually.read(() -> api.listProjects(otherWs, oscar.token()),
                page -> assertThat(keys(page)).containsExactlyInAnyOrder("same-key", "only-there"));
        Eventually.read(() -> api.listProjects(ws, admin.token()),
                page -> assertThat(keys(page)).containsExactly("same-key"));
        Eventually.read(() -> api.listMembers(ws, admin.token()),
                page -> assertThat(usernames(page)).containsExactly("alice", "ann"));
    }

    // ------------------------------------------------------------------ members, deactivation, deletion

    @Test
    void removingAMember_endsItsTokensAndProjectRolesAtOnce_andItMayBeAddedAgainWithNothing() {
        Principal admin = workspaces.fresh("removal");
        String ws = admin.ws();
        String key = "secret-plans";
        api.createProject(ws, admin.token(), key, "private");
        Principal leaver = workspaces.user(admin, "leaver", "member");
        workspaces.user(admin, "stayer", "member");
        // a user issues its own second token
        JsonNode second = api.issueMemberToken(ws, leaver.token(), leaver.id());
        String secondToken = second.path("secret").asText();
        for (int i = 0; i < 3; i++) {
            api.issueMemberToken(ws, admin.token(), leaver.id());
        }
        api.command("POST", Api.memberTokens(ws, leaver.id())).token(leaver.token()).send()
                .expectProblem(409, "token-limit-reached");
        api.assignMember(ws, admin.token(), key, leaver.id(), "owner");
        api.updateProject(ws, leaver.token(), key, Map.of("name", "Secret plans"));
        Eventually.read(() -> api.projectMembers(ws, admin.token(), key),
                page -> assertThat(usernames(page)).containsExactly("alice", "leaver"));

        api.removeMember(ws, admin.token(), leaver.id());

        // at once: both tokens refused on both sides, and introspection says so
        for (String token : List.of(leaver.token(), secondToken)) {
            assertThat(api.me(token).status()).as("query side").isEqualTo(401);
            assertThat(api.command("PATCH", project(ws, key)).token(token).json(Map.of("name", "still mine")).send()
                    .status()).as("command side").isEqualTo(401);
            assertThat(api.introspect(token).path("active").asBoolean()).isFalse();
        }
        api.command("DELETE", member(ws, leaver.id())).token(admin.token()).send()
                .expectProblem(404, "member-not-found");
        Eventually.read(() -> api.listMembers(ws, admin.token()),
                page -> assertThat(usernames(page)).containsExactly("alice", "stayer"));
        Eventually.read(() -> api.projectMembers(ws, admin.token(), key),
                page -> assertThat(usernames(page)).containsExactly("alice"));
        Eventually.read(() -> api.projectAccess(ws, admin.token(), key),
                access -> assertThat(accessOf(access, "leaver")).isEmpty());

        // added again: a new member with a new token and no project role
        Principal back = workspaces.user(admin, "leaver", "member");
        assertThat(meProject(back.token(), key)).isEmpty();
        // the same username may be another person: the earlier membership's tokens are not theirs to see
        Eventually.read(() -> api.query("GET", Api.memberTokens(ws, "leaver")).token(back.token()).send(),
                page -> assertThat(Json.texts(Json.items(page), "id")).containsExactly(back.tokenId()));
        api.command("PATCH", project(ws, key)).token(back.token()).json(Map.of("name", "mine again")).send()
                .expectProblem(403, "project-manage-required");
        assertThat(api.me(leaver.token()).status()).as("the old token stays dead").isEqualTo(401);
        assertThat(api.me(secondToken).status()).isEqualTo(401);
    }

    @Test
    void anAdminSeesWhatAnyPrincipalMayDo_aUserSeesItsOwn() {
        Principal admin = workspaces.fresh("per-principal");
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "shared", "workspace");
        api.createProject(ws, admin.token(), "secret", "private");
        Principal bob = workspaces.user(admin, "bob", "member");
        Principal carol = workspaces.user(admin, "carol", "member");
        Principal robot = workspaces.serviceAccount(admin, "robot");
        api.assignMember(ws, admin.token(), "shared", "bob", "owner");
        api.assignServiceAccount(ws, admin.token(), "secret", robot.id(), "viewer");

        // a user: every project it may use, the effective role and every grant behind it, at once
        JsonNode bobsAccess = api.query("GET", member(ws, "bob")).token(admin.token()).send().expect(200).json();
        assertThat(bobsAccess.path("role").asText()).isEqualTo("member");
        assertThat(keysOf(bobsAccess.path("projects"))).containsExactly("shared");
        JsonNode shared = accessTo(bobsAccess.path("projects"), "shared");
        assertThat(shared.path("role").asText()).isEqualTo("owner");
        assertThat(Access.grants(shared)).containsExactlyInAnyOrder("explicit:owner", "visibility:contributor");
        assertThat(Json.texts(shared.path("permissions"))).containsExactly("read", "write", "manage");
        api.query("GET", member(ws, "bob")).token(bob.token()).send().expect(200);
        api.query("GET", member(ws, "bob")).token(carol.token()).send()
                .expectProblem(403, "member-self-or-admin-required");
        api.query("GET", member(ws, "bob")).token(robot.token()).send()
                .expectProblem(403, "member-self-or-admin-required");
        api.query("GET", member(ws, "nobody")).token(admin.token()).send().expectProblem(404, "member-not-found");

        // a service account: its assignments, and what they give it now (nothing while deactivated)
        Eventually.read(() -> api.getServiceAccount(ws, admin.token(), robot.id()), detail -> {
            assertThat(keysOf(detail.path("projects"))).containsExactly("secret");
            assertThat(keysOf(detail.path("access"))).containsExactly("secret");
            assertThat(accessTo(detail.path("access"), "secret").path("role").asText()).isEqualTo("viewer");
        });
        api.deactivate(ws, admin.token(), robot.id());
        // access is exact at once; the rest of the detail is the read model's
        JsonNode deactivated = api.getServiceAccount(ws, admin.token(), robot.id()).expect(200).json();
        assertThat(deactivated.path("access").size()).as("no access while deactivated").isZero();
        assertThat(keysOf(deactivated.path("projects"))).as("the assignment stays").containsExactly("secret");
    }

    @Test
    void aUserManagesAndListsItsOwnTokens_andOnlyItsOwn() {
        Principal admin = workspaces.fresh("user-tokens");
        String ws = admin.ws();
        Principal uma = workspaces.user(admin, "uma", "member");
        Principal vic = workspaces.user(admin, "vic", "member");
        Principal robot = workspaces.serviceAccount(admin, "robot");

        JsonNode own = api.issueMemberToken(ws, uma.token(), "uma");
        assertThat(own.path("secret").asText()).startsWith("usrtok_");
        assertThat(api.me(own.path("secret").asText()).expect(200).json().path("id").asText()).isEqualTo("uma");
        for (Principal other : List.of(vic, robot)) {
            api.command("POST", Api.memberTokens(ws, "uma")).token(other.token()).send()
                    .expectProblem(403, "token-owner-or-admin-required");
            api.command("DELETE", Api.memberTokens(ws, "uma") + "/" + own.path("id").asText())
                    .token(other.token()).send().expectProblem(403, "token-owner-or-admin-required");
        }
        api.command("DELETE", Api.memberTokens(ws, "uma") + "/no-such-token").token(uma.token()).send()
                .expectProblem(404, "token-not-found");
        // one user's token id through another user's path is not found either
        api.command("DELETE", Api.memberTokens(ws, "vic") + "/" + own.path("id").asText())
                .token(admin.token()).send().expectProblem(404, "token-not-found");
        api.revokeMemberToken(ws, uma.token(), "uma", own.path("id").asText());
        assertThat(api.me(own.path("secret").asText()).status()).isEqualTo(401);
        JsonNode byAdmin = api.issueMemberToken(ws, admin.token(), "uma");
        api.revokeMemberToken(ws, admin.token(), "uma", byAdmin.path("id").asText());
        assertThat(api.me(byAdmin.path("secret").asText()).status()).isEqualTo(401);
        assertThat(api.me(uma.token()).status()).as("uma's first token is untouched").isEqualTo(200);

        // she lists her tokens' metadata (an admin may too; others may not), never a secret
        Eventually.read(() -> api.query("GET", Api.memberTokens(ws, "uma")).token(uma.token()).send(), page -> {
            assertThat(Json.items(page)).hasSize(3);
            assertThat(Json.item(page, "id", own.path("id").asText()).path("status").asText()).isEqualTo("revoked");
            assertThat(Json.item(page, "id", byAdmin.path("id").asText()).path("createdBy").asText())
                    .isEqualTo(admin.id());
            assertThat(Json.item(page, "id", uma.tokenId()).path("status").asText()).isEqualTo("active");
            assertThat(page.toString()).doesNotContain(own.path("secret").asText()).doesNotContain("secret");
        });
        api.query("GET", Api.memberTokens(ws, "uma")).token(admin.token()).send().expect(200);
        for (Principal other : List.of(vic, robot)) {
            api.query("GET", Api.memberTokens(ws, "uma")).token(other.token()).send()
                    .expectProblem(403, "token-owner-or-admin-required");
        }
    }

    @Test
    void badInput_isA400Problem_andChangesNothing() {
        Principal admin = workspaces.fresh("bad-input");
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "fine", "private");
        Principal robot = workspaces.serviceAccount(admin, "robot");
        long head = system.eventStoreHead();
        assertSoftly(soft -> {
            for (Response response : List.of(
                    api.command("POST", members(ws)).token(admin.token())
                            .json(Map.of("username", "Not A Name", "role", "member")).send(),
                    api.command("POST", members(ws)).token(admin.token())
                            .json(Map.of("username", "newbie", "role", "owner")).send(),
                    api.command("POST", members(ws)).token(admin.token()).json(Map.of("username", "newbie")).send(),
                    // a username shaped like a service-account id could be taken for one
                    api.command("POST", members(ws)).token(admin.token())
                            .json(Map.of("username", robot.id(), "role", "admin")).send(),
                    api.command("PATCH", member(ws, "alice")).token(admin.token())
                            .json(Map.of("role", "superuser")).send(),
                    api.command("POST", projects(ws)).token(admin.token()).json(Map.of("key", "A", "name", "x")).send(),
                    api.command("POST", projects(ws)).token(admin.token())
                            .json(Map.of("key", "-dash-", "name", "x")).send(),
                    api.command("POST", projects(ws)).token(admin.token())
                            .json(Map.of("key", "k".repeat(41), "name", "x")).send(),
                    api.command("POST", projects(ws)).token(admin.token()).json(Map.of("key", "no-name")).send(),
                    api.command("POST", projects(ws)).token(admin.token())
                            .json(Map.of("key", "bad-vis", "name", "x", "visibility", "secret")).send(),
                    api.command("PATCH", project(ws, "fine")).token(admin.token()).json(Map.of("name", "")).send(),
                    api.command("PATCH", project(ws, "fine")).token(admin.token())
                            .json(Map.of("name", "x".repeat(101))).send(),
                    api.command("PATCH", project(ws, "fine")).token(admin.token())
                            .json(Map.of("visibility", "everyone")).send(),
                    api.command("PUT", projectServiceAccount(ws, "fine", robot.id())).token(admin.token())
                            .json(Map.of("role", "admin")).send(),
                    api.command("PUT", projectServiceAccount(ws, "fine", robot.id())).token(admin.token())
                            .json(Map.of()).send(),
                    api.command("PUT", projectMember(ws, "fine", "alice")).token(admin.token())
                            .rawJson("{\"role\":").send())) {
                soft.assertThat(response.status()).as(response.toString()).isEqualTo(400);
                soft.assertThat(response.isProblem()).as(response + " is problem+json").isTrue();
                soft.assertThat(response.detail()).as(response.toString()).isNotBlank();
            }
        });
        assertThat(system.eventStoreHead()).as("events appended by refused requests").isEqualTo(head);
    }

    @Test
    void theLastAdmin_canBeNeitherDemotedNorRemoved() {
        Principal sole = workspaces.fresh("last-admin");
        String ws = sole.ws();
        api.command("PATCH", member(ws, "alice")).token(sole.token()).json(Map.of("role", "member")).send()
                .expectProblem(409, "last-admin");
        api.command("DELETE", member(ws, "alice")).token(sole.token()).send().expectProblem(409, "last-admin");
        assertThat(api.me(sole.token()).expect(200).json().path("workspaceRole").asText()).isEqualTo("admin");

        Principal second = workspaces.user(sole, "bea", "admin");
        assertThat(api.changeMemberRole(ws, second.token(), "alice", "member").path("role").asText())
                .isEqualTo("member");
        assertThat(api.me(sole.token()).expect(200).json().path("workspaceRole").asText()).isEqualTo("member");
        // now bea is the last one
        api.command("PATCH", member(ws, "bea")).token(second.token()).json(Map.of("role", "member")).send()
                .expectProblem(409, "last-admin");
        api.command("DELETE", member(ws, "bea")).token(second.token()).send().expectProblem(409, "last-admin");
        api.command("PATCH", member(ws, "nobody")).token(second.token()).json(Map.of("role", "member")).send()
                .expectProblem(404, "member-not-found");
        api.command("POST", members(ws)).token(second.token())
                .json(Map.of("username", "alice", "role", "admin")).send().expectProblem(409, "member-exists");
        // alice, a member now, may no longer do admin things
        api.command("PATCH", member(ws, "bea")).token(sole.token()).json(Map.of("role", "member")).send()
                .expectProblem(403, "workspace-admin-required");
        Eventually.read(() -> api.listMembers(ws, second.token()), page -> {
            assertThat(Json.item(page, "username", "alice").path("role").asText()).isEqualTo("member");
            JsonNode bea = Json.item(page, "username", "bea");
            assertThat(bea.path("role").asText()).isEqualTo("admin");
            assertDoneBy(bea, "added", sole);
        });
    }

    @Test
    void aDeactivatedServiceAccount_keepsItsAssignment_butHasNoAccess_untilReactivated() {
        Principal admin = workspaces.fresh("dormant");
        String ws = admin.ws();
        String key = "training";
        api.createProject(ws, admin.token(), key, "private");
        Principal robot = workspaces.serviceAccount(admin, "trainer");
        workspaces.user(admin, "nobody", "member");
        api.assignServiceAccount(ws, admin.token(), key, robot.id(), "contributor");
        assertThat(meProject(robot.token(), key)).isPresent();

        api.deactivate(ws, admin.token(), robot.id());

        assertThat(api.me(robot.token()).status()).isEqualTo(401);
        assertThat(api.introspect(robot.token()).path("active").asBoolean()).isFalse();
        Eventually.read(() -> api.projectServiceAccounts(ws, admin.token(), key), page -> {
            JsonNode item = Json.findById(page, robot.id()).orElseThrow(() -> new AssertionError("no longer listed"));
            assertThat(item.path("status").asText()).isEqualTo("deactivated");
            assertThat(item.path("role").asText()).isEqualTo("contributor");
            assertThat(item.path("effectiveRole").isNull()).as("effectiveRole of a deactivated account: " + item)
                    .isTrue();
        });
        Eventually.read(() -> api.projectAccess(ws, admin.token(), key), access -> {
            JsonNode item = accessOf(access, robot.id()).orElseThrow(() -> new AssertionError("no longer listed"));
            assertThat(item.path("status").asText()).isEqualTo("deactivated");
            assertThat(item.path("role").isNull()).as("role of a deactivated account: " + item).isTrue();
            // every user of the workspace is listed, one without access to this private project with role null
            JsonNode nobody = accessOf(access, "nobody")
                    .orElseThrow(() -> new AssertionError("a user without access is not listed"));
            assertThat(nobody.path("role").isNull()).as("role of a user without access: " + nobody).isTrue();
            assertThat(grants(nobody)).isEmpty();
            assertThat(nobody.path("principal").path("type").asText()).isEqualTo("user");
        });

        String fresh = api.reactivate(ws, admin.token(), robot.id()).path("token").path("secret").asText();

        JsonNode back = meProject(fresh, key).orElseThrow(() -> new AssertionError("reactivated, but no access"));
        assertThat(back.path("role").asText()).isEqualTo("contributor");
        assertThat(introspectedProjects(fresh)).isEqualTo(Map.of(key, "contributor"));
        assertThat(api.introspect(robot.token()).path("active").asBoolean()).as("the old token").isFalse();
        assertThat(api.getProject(ws, fresh, key).status()).isEqualTo(200);
        Eventually.read(() -> api.projectServiceAccounts(ws, admin.token(), key), page -> {
            JsonNode item = Json.item(page, "id", robot.id());
            assertThat(item.path("status").asText()).isEqualTo("active");
            assertThat(item.path("effectiveRole").asText()).isEqualTo("contributor");
        });
        Eventually.read(() -> api.projectAccess(ws, admin.token(), key), access -> {
            JsonNode item = accessOf(access, robot.id()).orElseThrow(AccessRulesIT::absent);
            assertThat(item.path("status").asText()).isEqualTo("active");
            assertThat(item.path("role").asText()).isEqualTo("contributor");
        });
    }

    @Test
    void deletingAServiceAccount_removesItsAssignments() {
        Principal admin = workspaces.fresh("deletion");
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "one", "private");
        api.createProject(ws, admin.token(), "two", "workspace");
        Principal robot = workspaces.serviceAccount(admin, "short-lived");
        Principal keeper = workspaces.serviceAccount(admin, "keeper");
        api.assignServiceAccount(ws, admin.token(), "one", robot.id(), "viewer");
        api.assignServiceAccount(ws, admin.token(), "two", robot.id(), "owner");
        api.assignServiceAccount(ws, admin.token(), "two", keeper.id(), "viewer");
        Eventually.read(() -> api.getServiceAccount(ws, admin.token(), robot.id()),
                account -> assertThat(Json.texts(Json.list(account.path("projects")), "key"))
                        .containsExactlyInAnyOrder("one", "two"));

        api.delete(ws, admin.token(), robot.id());

        assertThat(api.me(robot.token()).status()).isEqualTo(401);
        api.command("PUT", projectServiceAccount(ws, "one", robot.id())).token(admin.token())
                .json(Map.of("role", "viewer")).send().expectProblem(404, "service-account-not-found");
        assertThat(api.command("DELETE", projectServiceAccount(ws, "two", robot.id())).token(admin.token()).send()
                .status()).isEqualTo(404);
        for (String key : List.of("one", "two")) {
            Eventually.read(() -> api.projectServiceAccounts(ws, admin.token(), key),
                    page -> assertThat(Json.findById(page, robot.id())).as(key).isEmpty());
            Eventually.read(() -> api.projectAccess(ws, admin.token(), key),
                    access -> assertThat(accessOf(access, robot.id())).as(key).isEmpty());
        }
        Eventually.read(() -> api.projectServiceAccounts(ws, admin.token(), "two"),
                page -> assertThat(Json.findById(page, keeper.id())).isPresent());
    }

    // ------------------------------------------------------------------ helpers

    /** The project as {@code GET /v1/me} of this token shows it, if it does. */
    private static Optional<JsonNode> meProject(String token, String key) {
        List<JsonNode> projects = Json.list(api.me(token, key).expect(200).json().path("projects"));
        assertThat(Json.texts(projects, "key")).as("/v1/me?resource=" + key).isSubsetOf(key);
        return Json.find(projects, "key", key);
    }

    /** Introspects the token, which must be active, and returns its projects: key to role. */
    private static Map<String, String> introspectedProjects(String token) {
        JsonNode introspection = api.introspect(token);
        assertThat(introspection.path("active").asBoolean()).as("active: " + introspection).isTrue();
        return Access.projects(introspection);
    }

    /** The entry of {@code .../access} for a principal (username or account id). */
    private static Optional<JsonNode> accessOf(JsonNode access, String principalId) {
        return Json.items(access).stream()
                .filter(item -> principalId.equals(item.path("principal").path("id").asText(null)))
                .findFirst();
    }

    /** The project keys of a page of projects. */
    private static List<String> keys(JsonNode page) {
        return Json.texts(Json.items(page), "key");
    }

    /** The project keys of an array of projects (a member's or an account's access). */
    private static List<String> keysOf(JsonNode projects) {
        return Json.texts(Json.list(projects), "key");
    }

    private static JsonNode accessTo(JsonNode projects, String key) {
        return Json.find(Json.list(projects), "key", key).orElseThrow(() -> new AssertionError("no project " + key));
    }

    /** The usernames of a page of members. */
    private static List<String> usernames(JsonNode page) {
        return Json.texts(Json.items(page), "username");
    }

    /** A reference to a principal in an answer ({@code createdBy}, {@code assignee}, ...) names this one. */
    private static void assertRefersTo(JsonNode reference, Principal principal) {
        assertThat(reference.path("type").asText()).as("type of " + reference).isEqualTo(principal.type());
        assertThat(reference.path("id").asText()).as("id of " + reference).isEqualTo(principal.id());
    }

    /** Who did it and when: {@code <action>At} is set and {@code <action>By} names {@code by}. */
    private static void assertDoneBy(JsonNode item, String action, Principal by) {
        assertThat(item.path(action + "At").asText()).as(action + "At of " + item).isNotBlank();
        assertRefersTo(item.path(action + "By"), by);
    }

    /** For an Optional that must be there: an AssertionError (inside {@link Eventually}, it reads again). */
    private static AssertionError absent() {
        return new AssertionError("not (yet) there");
    }
}
