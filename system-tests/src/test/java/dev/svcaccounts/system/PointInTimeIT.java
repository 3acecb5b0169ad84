package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.svcaccounts.system.support.Access;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.svcaccounts.system.support.Api.projectAccess;
import static dev.svcaccounts.system.support.Api.serviceAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * {@code ?at=T} on a project's access listing and on a service account: the answer the current endpoint gave at
 * T, rebuilt from the event store. A scripted history; at each moment, once the read models have caught up, both
 * current answers are kept with the instant right after them; at the end every moment is asked for again with
 * {@code ?at=} and must come back the same, byte for byte but for the request id.
 */
class PointInTimeIT {

    private static final String WS = "pit";
    private static final String PROJECT = "ml";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("point-in-time");
    private static Api api;
    private static Principal alice;
    private static Principal bob;
    private static Principal carol;
    private static Principal dave;
    private static Principal robot;
    private static Instant beforeTheWorkspace;
    private static Instant shortLivedExpiry;

    /** What the current endpoints answered right before {@code at}; {@code serviceAccount} null before it existed. */
    private record Moment(String what, Instant at, Response serviceAccount, Response access) {
    }

    private static final List<Moment> moments = new ArrayList<>();

    @BeforeAll
    static void scriptedHistory() {
        api = system.api();
        Workspaces workspaces = new Workspaces(api);
        beforeTheWorkspace = Instant.now();
        pause();
        alice = workspaces.create(WS, "alice");
        bob = workspaces.user(alice, "bob", "admin");
        carol = workspaces.user(alice, "carol", "member");
        dave = workspaces.user(alice, "dave", "member");
        api.createProject(WS, carol.token(), PROJECT, "private");
        moment("ml created by carol, its owner; no service account yet");

        robot = workspaces.serviceAccount(alice, "robot");
        moment("robot created");

        api.assignServiceAccount(WS, carol.token(), PROJECT, robot.id(), "viewer");
        api.createProject(WS, alice.token(), "cv", "private");
        api.assignServiceAccount(WS, alice.token(), "cv", robot.id(), "contributor");
        moment("carol makes robot a viewer of ml; alice makes it a contributor of cv");

        api.assignServiceAccount(WS, bob.token(), PROJECT, robot.id(), "owner");
        moment("bob, another admin, makes robot an owner of ml");

        api.updateProject(WS, carol.token(), PROJECT, Map.of("name", "Churn model", "visibility", "workspace"));
        moment("carol renames ml and opens it to the workspace");

        // alive through the next moment, however slowly a loaded machine gets there
        shortLivedExpiry = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.MILLIS);
        api.issueToken(WS, alice.token(), robot.id(),
                Map.of("description", "short-lived", "expiresAt", shortLivedExpiry.toString()));
        api.issueToken(WS, alice.token(), robot.id(), Map.of("description", "long-lived"));
        moment("two more tokens, one expiring in seconds");
        assertThat(tokenStatuses(last().serviceAccount())).as("the short-lived token while it lived")
                .containsExactly("active", "active", "active");

        api.revokeToken(WS, alice.token(), robot.id(), robot.tokenId());
        api.changeMemberRole(WS, bob.token(), "carol", "admin");
        moment("robot's first token revoked; carol made an admin");

        sleepUntilAfter(shortLivedExpiry);
        moment("the short-lived token expired");
        assertThat(tokenStatuses(last().serviceAccount())).containsExactly("revoked", "expired", "active");

        api.command("POST", serviceAccount(WS, robot.id()) + "/deactivate").token(alice.token())
                .json(Map.of("reason", "token leaked in a log")).send().expect(200);
        moment("robot deactivated");

        api.reactivate(WS, bob.token(), robot.id());
        moment("robot reactivated by bob: a fresh token");

        api.unassignServiceAccount(WS, alice.token(), PROJECT, robot.id());
        moment("robot unassigned from ml");

        api.changeMemberRole(WS, alice.token(), "carol", "member");
        api.removeMember(WS, alice.token(), "carol");
        moment("carol demoted, then removed: her ownership of ml ends");

        api.deleteProject(WS, alice.token(), PROJECT);
        moment("ml deleted");
        last().access().expectProblem(404, "project-not-found");

        api.delete(WS, alice.token(), robot.id());
        moment("robot deleted");

        api.createProject(WS, bob.token(), PROJECT, "private");
        api.assignMember(WS, bob.token(), PROJECT, "dave", "viewer");
        moment("a new ml, by bob, with dave as viewer");
    }

    @Test
    void atEveryMoment_theAnswerIsTheOneTheCurrentEndpointGaveThen() {
        assertThat(moments).hasSize(15);
        assertSoftly(softly -> {
            for (Moment moment : moments) {
                Response access = api.query("GET", projectAccess(WS, PROJECT)).token(alice.token())
                        .param("at", moment.at().toString()).send();
                softly.assertThat(access.status()).as(moment.what() + ": access status")
                        .isEqualTo(moment.access().status());
                softly.assertThat(comparable(access)).as(moment.what() + ": access")
                        .isEqualTo(comparable(moment.access()));

                Response account = api.query("GET", serviceAccount(WS, robot.id())).token(alice.token())
                        .param("at", moment.at().toString()).send();
                if (moment.serviceAccount() == null) {
                    softly.assertThat(account.status()).as(moment.what() + ": account status").isEqualTo(404);
                    softly.assertThat(account.problemCode()).isEqualTo("service-account-not-found");
                } else {
                    softly.assertThat(account.status()).as(moment.what() + ": account status")
                            .isEqualTo(moment.serviceAccount().status());
                    softly.assertThat(comparable(account)).as(moment.what() + ": account")
                            .isEqualTo(comparable(moment.serviceAccount()));
                }
            }
        });
    }

    @Test
    void whoHadOwnerOnTheProject_andWhoGrantedIt() {
        Moment granted = momentNamed("bob, another admin, makes robot an owner of ml");
        Instant before = momentNamed("carol makes robot a viewer of ml; alice makes it a contributor of cv").at();

        JsonNode listing = api.query("GET", projectAccess(WS, PROJECT)).token(alice.token())
                .param("at", granted.at().toString()).send().expect(200).json();

        List<JsonNode> owners = Json.filter(Json.items(listing), item -> "owner".equals(Json.text(item, "role")));
        assertThat(owners).extracting(owner -> owner.path("principal").path("id").asText())
                .containsExactly("alice", "bob", "carol", robot.id());
        JsonNode robotsGrant = explicitGrant(owners.get(3));
        assertThat(robotsGrant.path("role").asText()).isEqualTo("owner");
        assertThat(robotsGrant.path("grantedBy").path("type").asText()).isEqualTo("user");
        assertThat(robotsGrant.path("grantedBy").path("id").asText()).isEqualTo("bob");
        assertThat(Instant.parse(robotsGrant.path("grantedAt").asText())).isAfter(before).isBefore(granted.at());
        JsonNode carolsGrant = explicitGrant(owners.get(2));
        assertThat(carolsGrant.path("grantedBy").path("id").asText()).as("the creator of a project owns it")
                .isEqualTo("carol");
        assertThat(Access.grants(owners.get(0))).as("admins own every project without being assigned")
                .containsExactly("workspace-admin:owner");
        assertThat(owners.get(0).path("grants").path(0).has("grantedBy")).isFalse();
    }

    @Test
    void beforeTheWorkspaceExisted_bothAre404() {
        String at = beforeTheWorkspace.toString();
        api.query("GET", projectAccess(WS, PROJECT)).token(alice.token()).param("at", at).send()
                .expectProblem(404, "workspace-not-found");
        api.query("GET", serviceAccount(WS, robot.id())).token(alice.token()).param("at", at).send()
                .expectProblem(404, "workspace-not-found");
    }

    @Test
    void atThatIsNoInstant_orInTheFuture_is400NamingTheParameter() {
        for (String bad : List.of("yesterday", "2026-13-01T00:00:00Z", "2026-03-03 12:00", "",
                Instant.now().plus(Duration.ofHours(1)).toString())) {
            for (String path : List.of(projectAccess(WS, PROJECT), serviceAccount(WS, robot.id()))) {
                Response response = api.query("GET", path).token(alice.token()).param("at", bad).send()
                        .expectProblem(400, "invalid-parameter");
                assertThat(response.detail()).as(bad).contains("'at'");
            }
        }
    }

    @Test
    void historyIsForAdminsOnly_evenForWhoMayReadTheCurrentListing() {
        String at = last().at().toString();
        api.projectAccess(WS, dave.token(), PROJECT).expect(200);
        api.query("GET", projectAccess(WS, PROJECT)).token(dave.token()).param("at", at).send()
                .expectProblem(403, "workspace-admin-required");
        api.query("GET", serviceAccount(WS, robot.id())).token(dave.token()).param("at", at).send()
                .expectProblem(403, "workspace-admin-required");
    }

    @Test
    void anotherWorkspacesAdmin_seesNothing() {
        Principal stranger = new Workspaces(api).create("pit-other", "mallory");
        api.query("GET", projectAccess(WS, PROJECT)).token(stranger.token()).param("at", last().at().toString()).send()
                .expectProblem(404, "workspace-not-found");
    }

    // ------------------------------------------------------------------ the script's pieces

    /** Once the read models have caught up: both current answers, then T, strictly between them and what follows. */
    private static void moment(String what) {
        system.awaitProjectionsCaughtUp();
        // a token expiring between the capture and T would make the two answers differ by design, not by error
        if (shortLivedExpiry != null && Instant.now().isAfter(shortLivedExpiry.minusSeconds(1))) {
            sleepUntilAfter(shortLivedExpiry);
        }
        Response account = robot == null ? null : api.getServiceAccount(WS, alice.token(), robot.id());
        Response access = api.projectAccess(WS, alice.token(), PROJECT);
        pause();
        Instant at = Instant.now();
        pause();
        if (account != null) {
            account.expect(200);
        }
        moments.add(new Moment(what, at, account, access));
    }

    private static Moment momentNamed(String what) {
        return moments.stream().filter(m -> m.what().equals(what)).findFirst().orElseThrow();
    }

    private static Moment last() {
        return moments.get(moments.size() - 1);
    }

    private static List<String> tokenStatuses(Response account) {
        return Json.texts(Json.list(account.json().path("tokens")), "status");
    }

    private static JsonNode explicitGrant(JsonNode entry) {
        return Json.find(Json.list(entry.path("grants")), "source", "explicit").orElseThrow();
    }

    /** The whole body but the request id, which every answer has its own of. */
    private static JsonNode comparable(Response response) {
        JsonNode json = response.json().deepCopy();
        if (json instanceof ObjectNode object) {
            object.remove("requestId");
        }
        return json;
    }

    /** Event times are kept to the millisecond: a few of them keep T apart from the events before and after it. */
    private static void pause() {
        sleep(5);
    }

    private static void sleepUntilAfter(Instant instant) {
        long millis = Duration.between(Instant.now(), instant).toMillis() + 20;
        if (millis > 0) {
            sleep(millis);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
