package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deleting a project ends each of its assignments on its own record ({@code project.role_removed}, cause
 * {@code project_deleted}) before {@code project.deleted}, so that once the key is used again no assignee's timeline,
 * trail or point-in-time answer reads as if it still held a role in the new project.
 */
class ProjectDeletionIT {

    private static final String KEY = "churn";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("project_deletion");
    private static Api api;
    private static Principal admin;
    private static Principal trainer;
    private static Principal bob;

    @BeforeAll
    static void history() {
        api = system.api();
        Workspaces workspaces = new Workspaces(api);
        admin = workspaces.fresh("deletion");
        trainer = workspaces.serviceAccount(admin, "trainer");
        bob = workspaces.user(admin, "bob", "member");
        api.createProject(admin.ws(), trainer.token(), KEY, "private"); // the account owns it as its creator
        api.assignMember(admin.ws(), admin.token(), KEY, "bob", "viewer");
        api.deleteProject(admin.ws(), admin.token(), KEY);
        api.createProject(admin.ws(), bob.token(), KEY, "workspace"); // the key again, another project
        system.awaitProjectionsCaughtUp();
    }

    @Test
    void eachAssignment_endsOnItsOwnRecord_beforeTheProjectIsDeleted() {
        List<JsonNode> trail = Json.items(api.audit(admin.ws(), admin.token(),
                Map.of("project", KEY, "limit", "500")).expect(200).json());
        List<String> steps = trail.stream().map(e -> e.path("type").asText() + " " + e.path("account").path("id")
                .asText("-") + " " + e.path("details").path("cause").asText("-")).toList();
        assertThat(steps).containsExactly(
                "project.created - -",
                "project.role_assigned " + trainer.id() + " -",
                "project.role_assigned bob -",
                "project.role_removed bob project_deleted",
                "project.role_removed " + trainer.id() + " project_deleted",
                "project.deleted - -",
                "project.created - -",
                "project.role_assigned bob -");
        JsonNode removal = Json.find(trail, "type", "project.role_removed").orElseThrow();
        assertThat(removal.path("details").path("role").path("before").asText()).isEqualTo("viewer");
        assertThat(removal.path("actor").path("id").asText()).as("the deleting admin").isEqualTo("alice");
    }

    @Test
    void theAccountsTimeline_showsItsRoleEnding_andNothingOfTheNewProject() {
        String path = Api.serviceAccount(admin.ws(), trainer.id()) + "/timeline";
        List<JsonNode> timeline = Json.items(api.query("GET", path).param("limit", "500").token(admin.token()).send()
                .expect(200).json());
        List<JsonNode> ofTheKey = Json.filter(timeline, e -> KEY.equals(e.path("details").path("project").asText()));
        assertThat(ofTheKey).extracting(e -> e.path("relation").asText() + " " + e.path("type").asText())
                .containsExactly("actor project.created", "target-and-actor project.role_assigned",
                        "target project.role_removed");
        JsonNode last = ofTheKey.get(ofTheKey.size() - 1);
        assertThat(last.path("details").path("cause").asText()).isEqualTo("project_deleted");
        assertThat(last.path("details").path("role").path("before").asText()).isEqualTo("owner");
    }

    @Test
    void aMembersTimeline_showsTheOldRoleEndingBeforeTheNewOne() {
        List<JsonNode> timeline = Json.items(api.query("GET", Api.member(admin.ws(), "bob") + "/timeline")
                .param("limit", "500").token(admin.token()).send().expect(200).json());
        assertThat(Json.filter(timeline, e -> KEY.equals(e.path("details").path("project").asText())))
                .extracting(e -> e.path("type").asText() + " " + e.path("details").path("cause").asText("-")
                        + " " + e.path("details").path("role").path("after").asText("-"))
                .containsExactly("project.role_assigned - viewer", "project.role_removed project_deleted -",
                        "project.created - -", "project.role_assigned - owner");
    }

    @Test
    void pointInTime_showsTheRoleEnded_atTheDeletionAndAfterTheKeyIsUsedAgain() {
        List<JsonNode> trail = Json.items(api.audit(admin.ws(), admin.token(),
                Map.of("project", KEY, "limit", "500")).expect(200).json());
        String assigned = justAfter(Json.filter(trail, e -> e.path("type").asText().equals("project.role_assigned"))
                .get(1));
        String deleted = justAfter(Json.find(trail, "type", "project.deleted").orElseThrow());
        String recreated = justAfter(trail.get(trail.size() - 1));

        assertThat(projectsOfTheAccountAt(assigned)).containsExactly(KEY + " owner");
        assertThat(projectsOfTheAccountAt(deleted)).isEmpty();
        assertThat(projectsOfTheAccountAt(recreated)).isEmpty();
        JsonNode access = api.query("GET", Api.projectAccess(admin.ws(), KEY)).token(admin.token())
                .param("at", recreated).send().expect(200).json();
        assertThat(Json.items(access)).extracting(e -> e.path("principal").path("id").asText())
                .doesNotContain(trainer.id());
        // and now, from the read models
        JsonNode now = Eventually.read(() -> api.getServiceAccount(admin.ws(), admin.token(), trainer.id()),
                account -> assertThat(account.path("projects")).isEmpty());
        assertThat(now.path("access")).isEmpty();
        assertThat(Json.items(api.projectAccess(admin.ws(), admin.token(), KEY).expect(200).json()))
                .extracting(e -> e.path("principal").path("id").asText()).doesNotContain(trainer.id());
    }

    /** A microsecond after the entry: its stored time may be the event's rounded down. */
    private static String justAfter(JsonNode entry) {
        return Instant.parse(entry.path("occurredAt").asText()).plus(1, ChronoUnit.MICROS).toString();
    }

    private static List<String> projectsOfTheAccountAt(String at) {
        JsonNode account = api.query("GET", Api.serviceAccount(admin.ws(), trainer.id())).token(admin.token())
                .param("at", at).send().expect(200).json();
        return Json.list(account.path("projects")).stream()
                .map(p -> p.path("key").asText() + " " + p.path("role").asText()).toList();
    }
}
