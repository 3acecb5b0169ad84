package dev.svcaccounts.system;

import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-workspace limits, set low through the settings: beyond each, 409 with the limit's problem code and the
 * limit in the problem, and nothing changed; removing what counts makes room again.
 */
class WorkspaceLimitsIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("workspace_limits",
            "--svcaccounts.limits.projects-per-workspace=3",
            "--svcaccounts.limits.members-per-workspace=3",
            "--svcaccounts.limits.assignments-per-workspace=5",
            "--svcaccounts.limits.active-tokens-per-principal=2");
    private static Api api;
    private static Workspaces workspaces;

    @BeforeAll
    static void setUp() {
        api = system.api();
        workspaces = new Workspaces(api);
    }

    @Test
    void projects_stopAtTheLimit_andADeletionMakesRoom() {
        Principal admin = workspaces.fresh("projects");
        Principal sa = workspaces.serviceAccount(admin, "builder");
        for (String key : new String[] {"pa", "pb", "pc"}) {
            api.createProject(admin.ws(), sa.token(), key, "private");
        }
        long events = events(admin.ws());

        createProject(sa, "pd").expectProblem(409, "project-limit-reached");
        assertThat(createProject(sa, "pd").json().path("limit").asInt()).isEqualTo(3);
        assertThat(events(admin.ws())).as("nothing recorded for the refused creations").isEqualTo(events);

        api.deleteProject(admin.ws(), admin.token(), "pb");
        createProject(sa, "pd").expect(201);
    }

    @Test
    void members_stopAtTheLimit_andARemovalMakesRoom() {
        Principal admin = workspaces.fresh("members");
        workspaces.user(admin, "bob", "member");
        workspaces.user(admin, "carol", "member");

        Response refused = api.command("POST", Api.members(admin.ws())).token(admin.token())
                .json(Map.of("username", "dave", "role", "member")).send().expectProblem(409, "member-limit-reached");
        assertThat(refused.json().path("limit").asInt()).isEqualTo(3);
        api.query("GET", Api.member(admin.ws(), "dave")).token(admin.token()).send()
                .expectProblem(404, "member-not-found");

        api.removeMember(admin.ws(), admin.token(), "carol");
        api.addMember(admin.ws(), admin.token(), "dave", "member");
    }

    @Test
    void assignments_stopAtTheLimit_countingEachCreatorsOwnership() {
        Principal admin = workspaces.fresh("assignments");
        Principal one = workspaces.serviceAccount(admin, "one");
        Principal two = workspaces.serviceAccount(admin, "two");
        api.createProject(admin.ws(), admin.token(), "pa", "private"); // 1: alice owns it
        api.createProject(admin.ws(), admin.token(), "pb", "private"); // 2
        api.assignServiceAccount(admin.ws(), admin.token(), "pa", one.id(), "viewer"); // 3
        api.assignServiceAccount(admin.ws(), admin.token(), "pa", two.id(), "viewer"); // 4
        api.assignServiceAccount(admin.ws(), admin.token(), "pb", one.id(), "viewer"); // 5

        Response refused = api.command("PUT", Api.projectServiceAccount(admin.ws(), "pb", two.id()))
                .token(admin.token()).json(Map.of("role", "viewer")).send()
                .expectProblem(409, "assignment-limit-reached");
        assertThat(refused.json().path("limit").asInt()).isEqualTo(5);
        createProject(one, "pc").expectProblem(409, "assignment-limit-reached");
        api.assignServiceAccount(admin.ws(), admin.token(), "pb", one.id(), "owner"); // a changed role adds none

        api.unassignServiceAccount(admin.ws(), admin.token(), "pa", two.id());
        api.assignServiceAccount(admin.ws(), admin.token(), "pb", two.id(), "viewer");
    }

    @Test
    void activeTokens_stopAtTheLimit_forServiceAccountsAndUsersAlike_andARevocationMakesRoom() {
        Principal admin = workspaces.fresh("tokens");
        Principal sa = workspaces.serviceAccount(admin, "runner");
        String second = api.issueToken(admin.ws(), admin.token(), sa.id()).path("id").asText();

        Response refused = api.command("POST", Api.tokens(admin.ws(), sa.id())).token(admin.token()).send()
                .expectProblem(409, "token-limit-reached");
        assertThat(refused.json().path("limit").asInt()).isEqualTo(2);
        api.command("POST", Api.memberTokens(admin.ws(), "alice")).token(admin.token()).send().expect(201);
        api.command("POST", Api.memberTokens(admin.ws(), "alice")).token(admin.token()).send()
                .expectProblem(409, "token-limit-reached");

        api.revokeToken(admin.ws(), admin.token(), sa.id(), second);
        api.issueToken(admin.ws(), admin.token(), sa.id());
    }

    private static Response createProject(Principal principal, String key) {
        return api.command("POST", Api.projects(principal.ws())).token(principal.token())
                .json(Map.of("key", key, "name", "Project " + key)).send();
    }

    private static long events(String ws) {
        Long count = system.database().jdbc().queryForObject(
                "SELECT count(*) FROM command_side.domain_event_entry WHERE aggregate_identifier = ?", Long.class, ws);
        return count == null ? 0 : count;
    }
}
