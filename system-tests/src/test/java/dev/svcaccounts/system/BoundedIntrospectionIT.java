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

import java.util.List;
import java.util.Map;

import static dev.svcaccounts.system.support.Access.projects;
import static dev.svcaccounts.system.support.Access.scope;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Introspection and {@code /v1/me} stay bounded whatever the size of the workspace: with {@code resource} they answer
 * for one project (and a project the token cannot see reads as one that does not exist); without it they list the
 * explicit grants, up to a cap, and summarise implicit access instead of listing every project it reaches.
 */
class BoundedIntrospectionIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("bounded-introspection",
            "--svcaccounts.throttle.writes.limit=1000000");
    /** As the query side caps the listing (credentials' ProjectListing.MAX_LISTED). */
    private static final int MAX_LISTED = 100;
    private static Api api;
    private static Workspaces workspaces;

    @BeforeAll
    static void setUp() {
        api = system.api();
        workspaces = new Workspaces(api);
    }

    @Test
    void resource_answersForThatProjectOnly_asAKeyOrAsProjectUri_inIntrospectionAndMe() {
        Principal admin = workspaces.fresh("resource");
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "alpha", "private");
        api.createProject(ws, admin.token(), "beta", "workspace");
        Principal robot = workspaces.serviceAccount(admin, "resource-bot");
        Principal uma = workspaces.user(admin, "uma", "member");
        api.assignServiceAccount(ws, admin.token(), "alpha", robot.id(), "contributor");

        for (String resource : List.of("alpha", "project:alpha")) {
            JsonNode one = api.introspectFor(robot.token(), resource).expect(200).json();
            assertThat(one.path("active").asBoolean()).isTrue();
            assertThat(one.path("sub").asText()).isEqualTo(robot.id());
            assertThat(projects(one)).isEqualTo(Map.of("alpha", "contributor"));
            assertThat(scope(one)).containsExactly("alpha:read", "alpha:write");
        }
        JsonNode beta = api.introspectFor(uma.token(), "project:beta").expect(200).json();
        assertThat(projects(beta)).as("implicit access, asked for").isEqualTo(Map.of("beta", "contributor"));
        assertThat(scope(beta)).containsExactly("beta:read", "beta:write");
        assertThat(beta.has("implicit_access")).as("about beta alone").isFalse();

        List<JsonNode> me = Json.list(api.me(uma.token(), "project:beta").expect(200).json().path("projects"));
        assertThat(Json.texts(me, "key")).containsExactly("beta");
        assertThat(me.get(0).path("role").asText()).isEqualTo("contributor");
        assertThat(Json.texts(me.get(0).path("permissions"))).containsExactly("read", "write");
        JsonNode robotMe = api.me(robot.token(), "alpha").expect(200).json();
        assertThat(Json.texts(Json.list(robotMe.path("projects")), "key")).containsExactly("alpha");
    }

    @Test
    void aProjectTheTokenCannotSee_readsExactlyAsOneThatDoesNotExist() {
        Principal admin = workspaces.fresh("invisible");
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "hidden", "private");
        api.createProject(ws, admin.token(), "open", "workspace");
        Principal robot = workspaces.serviceAccount(admin, "invisible-bot");
        Principal uma = workspaces.user(admin, "uma", "member");
        Principal elsewhere = workspaces.fresh("invisible-other");
        api.createProject(elsewhere.ws(), elsewhere.token(), "foreign", "workspace");

        for (Principal principal : List.of(robot, uma)) {
            Response missing = api.introspectFor(principal.token(), "no-such-project").expect(200);
            Response meMissing = api.me(principal.token(), "no-such-project").expect(200);
            assertThat(missing.json().path("active").asBoolean()).isTrue();
            assertThat(projects(missing.json())).isEmpty();
            assertThat(missing.json().has("scope")).isFalse();
            List<String> invisible = principal == robot ? List.of("hidden", "open", "foreign") : List.of("hidden",
                    "foreign");
            for (String key : invisible) {
                assertThat(api.introspectFor(principal.token(), "project:" + key).expect(200).body())
                        .as(principal.name() + ", " + key).isEqualTo(missing.body());
                assertThat(api.me(principal.token(), "project:" + key).expect(200).body())
                        .as(principal.name() + ", " + key + ", /v1/me").isEqualTo(meMissing.body());
            }
        }
    }

    @Test
    void aMalformedOrRepeatedResource_isABadRequestNamingIt_neverAnError() {
        Principal admin = workspaces.fresh("malformed");
        for (String value : List.of("", "project:", "Alpha", "project:project:alpha", "https://api.example/alpha",
                "alpha beta", "-alpha", "a".repeat(41), "x")) {
            Response introspection = api.introspectFor(admin.token(), value)
                    .expectOAuthError(400, "invalid-field", "invalid_request");
            assertThat(introspection.detail()).as(value).contains("'resource'");
            Response me = api.me(admin.token(), value).expectProblem(400, "invalid-parameter");
            assertThat(me.detail()).as(value).contains("'resource'");
        }
        Response twice = api.query("POST", "/v1/introspect").token(api.operatorToken())
                .rawForm("token=" + admin.token() + "&resource=alpha&resource=beta").send()
                .expectOAuthError(400, "invalid-parameter", "invalid_request");
        assertThat(twice.detail()).contains("'resource'").contains("more than once");
        Response meTwice = api.query("GET", "/v1/me").param("resource", "alpha").param("resource", "alpha")
                .token(admin.token()).send().expectProblem(400, "invalid-parameter");
        assertThat(meTwice.detail()).contains("'resource'").contains("more than once");
        api.query("POST", "/v1/introspect?resource=alpha").token(api.operatorToken()).rawForm("token=" + admin.token())
                .send().expectProblem(400, "invalid-parameter");

        assertThat(api.introspectFor("svc_not-a-token", "alpha").expect(200).body())
                .as("an inactive token: nothing more, resource or not").isEqualTo("{\"active\":false}");
        assertThat(projects(api.introspectFor(api.operatorToken(), "alpha").expect(200).json())).isEmpty();
        assertThat(Json.list(api.me(api.operatorToken(), "alpha").expect(200).json().path("projects"))).isEmpty();
    }

    @Test
    void withoutResource_theAnswerDoesNotGrowWithTheProjectsImplicitAccessReaches() {
        Principal admin = workspaces.fresh("large");
        String ws = admin.ws();
        Principal uma = workspaces.user(admin, "uma", "member");
        Principal ada = workspaces.user(admin, "ada", "admin");
        api.createProject(ws, admin.token(), "mine", "private");
        api.assignMember(ws, admin.token(), "mine", "uma", "viewer");
        String umaBefore = api.introspect(uma.token()).toString();
        String adaBefore = api.introspect(ada.token()).toString();
        String umaMeBefore = api.me(uma.token()).expect(200).body();

        int implicit = 150;
        for (int i = 0; i < implicit; i++) {
            api.createProject(ws, admin.token(), String.format("wide-%03d", i), i % 3 == 0 ? "public" : "workspace");
        }

        JsonNode umaAfter = api.introspect(uma.token());
        assertThat(umaAfter.toString()).as("uma's answer, with 150 more projects she may write to")
                .isEqualTo(umaBefore);
        assertThat(projects(umaAfter)).isEqualTo(Map.of("mine", "viewer"));
        assertThat(umaAfter.path("implicit_access").toString()).isEqualTo("{\"visibility\":\"contributor\"}");
        assertThat(scope(umaAfter)).containsExactly("*visible:read", "*visible:write", "mine:read");
        assertThat(api.introspect(ada.token()).toString()).as("an admin's, owner of them all").isEqualTo(adaBefore);
        assertThat(api.me(uma.token()).expect(200).body()).isEqualTo(umaMeBefore);
        assertThat(projects(api.introspectFor(uma.token(), "wide-149").expect(200).json()))
                .as("each one still answered, asked for").isEqualTo(Map.of("wide-149", "contributor"));
    }

    @Test
    void explicitGrantsBeyondTheCap_areCut_withAMarkerAndTheirNumber() {
        Principal admin = workspaces.fresh("grants");
        String ws = admin.ws();
        Principal robot = workspaces.serviceAccount(admin, "busy-bot");
        int assigned = MAX_LISTED + 7;
        for (int i = 0; i < assigned; i++) {
            String key = String.format("g-%03d", i);
            api.createProject(ws, admin.token(), key, "private");
            api.assignServiceAccount(ws, admin.token(), key, robot.id(), i % 2 == 0 ? "viewer" : "owner");
        }

        JsonNode answer = api.introspect(robot.token());
        assertThat(projects(answer)).hasSize(MAX_LISTED).containsKey("g-000").doesNotContainKey("g-" + MAX_LISTED);
        assertThat(answer.path("projects_truncated").asBoolean()).isTrue();
        assertThat(answer.path("projects_total").asInt()).isEqualTo(assigned);
        assertThat(scope(answer)).as("the listed projects' permissions").contains("g-000:read", "g-001:manage")
                .noneMatch(s -> s.startsWith("g-" + MAX_LISTED));
        JsonNode me = api.me(robot.token()).expect(200).json();
        assertThat(Json.list(me.path("projects"))).hasSize(MAX_LISTED);
        assertThat(me.path("projectsTruncated").asBoolean()).isTrue();
        assertThat(me.path("projectsTotal").asInt()).isEqualTo(assigned);
        assertThat(projects(api.introspectFor(robot.token(), "g-" + (assigned - 1)).expect(200).json()))
                .as("a grant beyond the cap, asked for").isEqualTo(Map.of("g-" + (assigned - 1), "viewer"));

        api.unassignServiceAccount(ws, admin.token(), "g-000", robot.id());
        JsonNode fewer = api.introspect(robot.token());
        assertThat(fewer.path("projects_total").asInt()).as("on the very next call").isEqualTo(assigned - 1);
        assertThat(projects(fewer)).doesNotContainKey("g-000").containsKey("g-" + MAX_LISTED);
    }
}
