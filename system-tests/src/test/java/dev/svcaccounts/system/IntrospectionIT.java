package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.RawHttp;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.web.context.support.ServletRequestHandledEvent;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.svcaccounts.system.support.Access.grants;
import static dev.svcaccounts.system.support.Access.projects;
import static dev.svcaccounts.system.support.Access.scope;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/introspect} (and {@code GET /v1/me}) answer "what may this token do" right the moment a command
 * has returned: every check here is the very next request after the command, never polled. First each kind of
 * change on its own, then all of them at once from many threads while other threads read and write around them.
 */
class IntrospectionIT {

    @RegisterExtension
    // the load test's admin writes and its workers refuse revoked tokens many times a second from one address: raised
    // throttles, not off, so that the throttles are in the path of what it checks
    static final RunningSystem system = RunningSystem.perTestClass("introspection",
            "--svcaccounts.throttle.writes.limit=1000000",
            "--svcaccounts.throttle.failed-authentications.limit=1000000");
    private static Api api;
    private static Workspaces workspaces;

    private static final List<String> ROLES = List.of("viewer", "contributor", "owner");

    @BeforeAll
    static void setUp() {
        api = system.api();
        workspaces = new Workspaces(api);
    }

    // ------------------------------------------------------------------ shape

    @Test
    void introspection_hasTheRfc7662Shape_forServiceAccountsUsersAndTheOperator() {
        Principal admin = workspaces.fresh("shape");
        Principal robot = workspaces.serviceAccount(admin, "shape-bot");
        api.createProject(admin.ws(), admin.token(), "alpha", "private");
        api.assignServiceAccount(admin.ws(), admin.token(), "alpha", robot.id(), "contributor");

        JsonNode sa = api.introspect(robot.token());
        assertThat(sa.path("active").asBoolean()).isTrue();
        assertThat(sa.path("sub").asText()).isEqualTo(robot.id());
        assertThat(sa.path("principal_type").asText()).isEqualTo("service_account");
        assertThat(sa.path("name").asText()).isEqualTo("shape-bot");
        assertThat(sa.path("workspace").asText()).isEqualTo(admin.ws());
        assertThat(sa.path("token_id").asText()).isEqualTo(robot.tokenId());
        assertThat(sa.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(sa.path("iat").isIntegralNumber()).as("iat in epoch seconds: " + sa).isTrue();
        assertThat(sa.path("iat").asLong()).isBetween(Instant.now().minusSeconds(120).getEpochSecond(),
                Instant.now().plusSeconds(5).getEpochSecond());
        assertThat(sa.has("exp")).as("a token without expiry has no exp").isFalse();
        assertThat(sa.has("username")).isFalse();
        assertThat(sa.has("workspace_role")).as("a service account holds no workspace role").isFalse();
        assertThat(projects(sa)).isEqualTo(Map.of("alpha", "contributor"));
        assertThat(scope(sa)).containsExactlyInAnyOrder("alpha:read", "alpha:write");

        Instant expiresAt = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        JsonNode expiring =
                api.issueToken(admin.ws(), admin.token(), robot.id(), Map.of("expiresAt", expiresAt.toString()));
        JsonNode withExpiry = api.introspect(expiring.path("secret").asText());
        assertThat(withExpiry.path("exp").isIntegralNumber()).as("exp: " + withExpiry).isTrue();
        assertThat(withExpiry.path("exp").asLong()).isEqualTo(expiresAt.getEpochSecond());
        assertThat(withExpiry.path("token_id").asText()).isEqualTo(expiring.path("id").asText());

        JsonNode user = api.introspect(admin.token());
        assertThat(user.path("active").asBoolean()).isTrue();
        assertThat(user.path("sub").asText()).isEqualTo("alice");
        assertThat(user.path("principal_type").asText()).isEqualTo("user");
        assertThat(user.path("username").asText()).isEqualTo("alice");
        assertThat(user.path("workspace").asText()).isEqualTo(admin.ws());
        assertThat(user.path("workspace_role").asText()).isEqualTo("admin");
        assertThat(user.path("token_id").asText()).isEqualTo(admin.tokenId());
        assertThat(projects(user)).as("its explicit grant (its creator)").isEqualTo(Map.of("alpha", "owner"));
        assertThat(user.path("implicit_access").toString())
                .isEqualTo("{\"visibility\":\"contributor\",\"workspace-admin\":\"owner\"}");
        assertThat(scope(user)).as("sorted").containsExactly("*:manage", "*:read", "*:write", "*visible:read",
                "*visible:write", "alpha:manage", "alpha:read", "alpha:write");
        assertThat(sa.has("implicit_access")).as("a service account's answer as before").isFalse();
        assertThat(sa.has("projects_truncated")).isFalse();

        JsonNode operator = api.introspect(api.operatorToken());
        assertThat(operator.path("active").asBoolean()).isTrue();
        assertThat(operator.path("principal_type").asText()).isEqualTo("operator");
    }

    @Test
    void me_tellsAUserAndAServiceAccountWhoTheyAreAndWhatTheyMayDo() {
        Principal admin = workspaces.fresh("me");
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "alpha", "private");
        api.createProject(ws, admin.token(), "beta", "workspace");
        api.createProject(ws, admin.token(), "gamma", "private");
        Principal uma = workspaces.user(admin, "uma", "member");
        Principal robot = workspaces.serviceAccount(admin, "me-bot");
        api.assignMember(ws, admin.token(), "alpha", "uma", "viewer");
        api.assignServiceAccount(ws, admin.token(), "alpha", robot.id(), "owner");

        JsonNode userMe = api.me(uma.token()).expect(200).json();
        assertThat(userMe.path("type").asText()).isEqualTo("user");
        assertThat(userMe.path("id").asText()).isEqualTo("uma");
        assertThat(userMe.path("name").asText()).isEqualTo("uma");
        assertThat(userMe.path("workspace").asText()).isEqualTo(ws);
        assertThat(userMe.path("workspaceRole").asText()).isEqualTo("member");
        assertThat(userMe.path("tokenId").asText()).isEqualTo(uma.tokenId());
        List<JsonNode> umasProjects = Json.list(userMe.path("projects"));
        assertThat(Json.texts(umasProjects, "key")).as("its explicit grants").containsExactly("alpha");
        assertThat(userMe.path("implicitAccess").toString()).isEqualTo("{\"visibility\":\"contributor\"}");
        JsonNode alpha = Json.find(umasProjects, "key", "alpha").orElseThrow(() -> new AssertionError("not there"));
        assertThat(alpha.path("name").asText()).isEqualTo("Project alpha");
        assertThat(alpha.path("role").asText()).isEqualTo("viewer");
        assertThat(grants(alpha)).containsExactly("explicit:viewer");
        assertThat(Json.texts(alpha.path("permissions"))).containsExactly("read");
        List<JsonNode> onlyBeta = Json.list(api.me(uma.token(), "beta").expect(200).json().path("projects"));
        assertThat(Json.texts(onlyBeta, "key")).as("asked for").containsExactly("beta");
        JsonNode beta = onlyBeta.get(0);
        assertThat(beta.path("role").asText()).isEqualTo("contributor");
        assertThat(grants(beta)).containsExactly("visibility:contributor");
        assertThat(Json.texts(beta.path("permissions"))).containsExactlyInAnyOrder("read", "write");

        JsonNode robotMe = api.me(robot.token()).expect(200).json();
        assertThat(robotMe.path("type").asText()).isEqualTo("service_account");
        assertThat(robotMe.path("id").asText()).isEqualTo(robot.id());
        assertThat(robotMe.path("name").asText()).isEqualTo("me-bot");
        assertThat(robotMe.path("workspace").asText()).isEqualTo(ws);
        assertThat(Json.text(robotMe, "workspaceRole")).isNull();
        assertThat(robotMe.path("tokenId").asText()).isEqualTo(robot.tokenId());
        List<JsonNode> robotProjects = Json.list(robotMe.path("projects"));
        assertThat(Json.texts(robotProjects, "key")).as("no visibility grants for service accounts")
                .containsExactly("alpha");
        assertThat(robotProjects.get(0).path("role").asText()).isEqualTo("owner");
        assertThat(grants(robotProjects.get(0))).containsExactly("explicit:owner");
        assertThat(Json.texts(robotProjects.get(0).path("permissions")))
                .containsExactlyInAnyOrder("read", "write", "manage");

        JsonNode adminMe = api.me(admin.token()).expect(200).json();
        assertThat(adminMe.path("workspaceRole").asText()).isEqualTo("admin");
        assertThat(Json.list(adminMe.path("projects"))).as("it created them: explicit owner").hasSize(3)
                .allSatisfy(project -> {
                    assertThat(project.path("role").asText()).isEqualTo("owner");
                    assertThat(grants(project)).contains("explicit:owner", "workspace-admin:owner");
                });
        assertThat(adminMe.path("implicitAccess").path("workspace-admin").asText()).isEqualTo("owner");

        JsonNode operatorMe = api.me(api.operatorToken()).expect(200).json();
        assertThat(operatorMe.path("type").asText()).isEqualTo("operator");
        assertThat(operatorMe.path("id").asText()).isEqualTo("operator");
        assertThat(operatorMe.path("name").asText()).isEqualTo("operator");
        assertThat(Json.list(operatorMe.path("projects"))).isEmpty();

        assertThat(api.query("GET", "/v1/me").send().status()).as("no token").isEqualTo(401);
    }

    @Test
    void introspection_isForTheOperatorAndIntrospectionClientsOnly_anyOtherBearerIs401AsRfc7662Says() {
        Principal admin = workspaces.fresh("refused");
        Principal robot = workspaces.serviceAccount(admin, "nosy-bot");
        for (Principal caller : List.of(admin, robot)) {
            Response response = api.introspect(caller.token(), robot.token());
            response.expectOAuthError(401, "introspection-not-allowed", "invalid_token");
            assertThat(response.header("WWW-Authenticate"))
                    .startsWith("Bearer realm=\"svcaccounts\", error=\"invalid_token\", error_description=\"");
            assertThat(response.detail()).containsIgnoringCase("operator");
            assertThat(response.body()).as("nothing about the token leaks").doesNotContain(robot.id());
        }
        Response anonymous = api.query("POST", "/v1/introspect").form(Map.of("token", robot.token())).send();
        anonymous.expectOAuthError(401, "invalid-client", "invalid_client");
        assertThat(anonymous.headers().allValues("WWW-Authenticate"))
                .containsExactly("Basic realm=\"svcaccounts\", charset=\"UTF-8\"", "Bearer realm=\"svcaccounts\"");
        Response badBearer = api.introspect("svcacct_wrong", robot.token());
        badBearer.expectOAuthError(401, "unauthenticated", "invalid_token");
        assertThat(badBearer.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        // a wrong credential of the operator's shape is checked by the endpoint, with the token (one statement), and
        // is 401 before anything else about the request is judged, as a principal's token is in the bearer filter
        String notTheOperator = "not-the-operator-" + "x".repeat(40);
        api.introspect(notTheOperator, robot.token()).expectOAuthError(401, "unauthenticated", "invalid_token");
        api.query("POST", "/v1/introspect").token(notTheOperator).form(Map.of("token_type_hint", "access_token"))
                .send().expectOAuthError(401, "unauthenticated", "invalid_token");
        api.query("POST", "/v1/introspect").token(notTheOperator)
                .form(Map.of("token", robot.token(), "client_id", "c", "client_secret", "s"))
                .send().expectOAuthError(401, "unauthenticated", "invalid_token");
        assertThat(api.query("GET", "/v1/introspect").token(notTheOperator).send().status()).as("another method")
                .isEqualTo(401);
        assertThat(api.query("POST", "/v1/introspect").token(notTheOperator).rawForm("token=%zz").send().status())
                .as("a malformed form").isEqualTo(401);
        // refusals Spring MVC makes before the endpoint runs come after the secret's check too
        assertThat(api.query("POST", "/v1/introspect?token=x").token(notTheOperator)
                .form(Map.of("token", robot.token())).send().status()).as("a query string").isEqualTo(401);
        assertThat(api.query("POST", "/v1/introspect").token(notTheOperator).header("Accept", "text/html")
                .form(Map.of("token", robot.token())).send().status()).as("an Accept with no JSON").isEqualTo(401);
    }

    @Test
    void unknownTokens_areInactive_andAMalformedForm_isABadRequest() {
        for (String token : List.of(
                TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX),
                TokenSecret.generate(TokenSecret.USER_PREFIX),
                "svcacct_not-even-well-formed",
                "hello")) {
            assertInactive(token);
        }
        Response missing = api.query("POST", "/v1/introspect").token(api.operatorToken())
                .form(Map.of("token_type_hint", "access_token")).send();
        missing.expectOAuthError(400, "invalid-field", "invalid_request");
        assertThat(missing.detail()).containsIgnoringCase("token");
        Response empty = api.query("POST", "/v1/introspect").token(api.operatorToken()).rawForm("").send();
        assertThat(empty.status()).as(empty.toString()).isEqualTo(400);
        Response broken = api.query("POST", "/v1/introspect").token(api.operatorToken()).rawForm("token=%zz").send();
        assertThat(broken.status()).as("an undecodable form: " + broken).isIn(200, 400);
        if (broken.status() == 200) {
            assertThat(broken.json().path("active").asBoolean()).isFalse();
        }
    }

    // ------------------------------------------------------------------ each change, on the next request

    @Test
    void roleChanges_areReflectedAtOnce() {
        Principal admin = workspaces.fresh("roles");
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "proj", "private");
        Principal robot = workspaces.serviceAccount(admin, "role-bot");
        assertExactly(robot, Map.of());
        assertRoles(robot, Map.of("proj", NONE));

        api.assignServiceAccount(ws, admin.token(), "proj", robot.id(), "viewer");
        assertRoles(robot, Map.of("proj", "viewer"));
        assertExactly(robot, Map.of("proj", "viewer"));
        api.assignServiceAccount(ws, admin.token(), "proj", robot.id(), "owner");
        assertRoles(robot, Map.of("proj", "owner"));
        assertExactly(robot, Map.of("proj", "owner"));
        api.assignServiceAccount(ws, admin.token(), "proj", robot.id(), "viewer");
        assertRoles(robot, Map.of("proj", "viewer"));
        assertExactly(robot, Map.of("proj", "viewer"));
        api.unassignServiceAccount(ws, admin.token(), "proj", robot.id());
        assertRoles(robot, Map.of("proj", NONE));
        assertExactly(robot, Map.of());

        // a user's explicit role removed: asked for that project, the very next answer has it gone
        Principal uma = workspaces.user(admin, "uma", "member");
        api.assignMember(ws, admin.token(), "proj", "uma", "owner");
        assertRoles(uma, Map.of("proj", "owner"));
        api.unassignMember(ws, admin.token(), "proj", "uma");
        assertRoles(uma, Map.of("proj", NONE));
        assertExactly(uma, Map.of());
    }

    @Test
    void deactivation_makesTheTokenInactiveAtOnce_andReactivationGivesANewTokenWithTheSameRoles() {
        Principal admin = workspaces.fresh("dormant");
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "proj", "private");
        Principal robot = workspaces.serviceAccount(admin, "sleepy-bot");
        api.assignServiceAccount(ws, admin.token(), "proj", robot.id(), "contributor");
        assertExactly(robot, Map.of("proj", "contributor"));

        api.deactivate(ws, admin.token(), robot.id());
        assertInactive(robot.token());

        JsonNode reactivated = api.reactivate(ws, admin.token(), robot.id());
        assertInactive(robot.token());
        Principal again = robot.withToken(reactivated.path("token"));
        assertExactly(again, Map.of("proj", "contributor"));
        assertThat(api.introspect(again.token()).path("token_id").asText()).isEqualTo(again.tokenId());
    }

    @Test
    void revokingAToken_makesItInactiveAtOnce_andOnlyIt() {
        Principal admin = workspaces.fresh("revoke");
        Principal robot = workspaces.serviceAccount(admin, "revoke-bot");
        JsonNode second = api.issueToken(admin.ws(), admin.token(), robot.id());
        Principal viaSecond = robot.withToken(second);
        assertExactly(viaSecond, Map.of());

        api.revokeToken(admin.ws(), admin.token(), robot.id(), second.path("id").asText());
        assertInactive(viaSecond.token());
        assertExactly(robot, Map.of());

        // a user's own token, revoked by the user itself
        Principal uma = workspaces.user(admin, "uma", "member");
        JsonNode umasSecond = api.issueMemberToken(admin.ws(), uma.token(), "uma");
        assertThat(api.introspect(umasSecond.path("secret").asText()).path("active").asBoolean()).isTrue();
        api.revokeMemberToken(admin.ws(), uma.token(), "uma", umasSecond.path("id").asText());
        assertInactive(umasSecond.path("secret").asText());
        assertThat(api.introspect(uma.token()).path("active").asBoolean()).isTrue();
    }

    @Test
    void removingAMember_makesAllItsTokensInactiveAtOnce() {
        Principal admin = workspaces.fresh("removal");
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "proj", "private");
        Principal leaver = workspaces.user(admin, "leaver", "member");
        String second = api.issueMemberToken(ws, admin.token(), "leaver").path("secret").asText();
        api.assignMember(ws, admin.token(), "proj", "leaver", "owner");
        JsonNode before = api.introspect(leaver.token());
        assertThat(before.path("principal_type").asText()).isEqualTo("user");
        assertThat(before.path("username").asText()).isEqualTo("leaver");
        assertThat(before.path("workspace_role").asText()).isEqualTo("member");
        assertThat(projects(before)).isEqualTo(Map.of("proj", "owner"));

        api.removeMember(ws, admin.token(), "leaver");
        assertInactive(leaver.token());
        assertInactive(second);
    }

    @Test
    void demotingAnAdmin_takesAwayTheProjectsItHadAsAdmin_atOnce() {
        Principal admin = workspaces.fresh("demotion");
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "secret", "private");
        api.createProject(ws, admin.token(), "open", "workspace");
        api.createProject(ws, admin.token(), "assigned", "private");
        Principal ada = workspaces.user(admin, "ada", "admin");
        api.assignMember(ws, admin.token(), "assigned", "ada", "viewer");
        assertRoles(ada, Map.of("secret", "owner", "open", "owner", "assigned", "owner"));
        assertExactly(ada, Map.of("assigned", "owner"));
        assertThat(api.introspect(ada.token()).path("workspace_role").asText()).isEqualTo("admin");

        api.changeMemberRole(ws, admin.token(), "ada", "member");
        assertRoles(ada, Map.of("secret", NONE, "open", "contributor", "assigned", "viewer"));
        assertExactly(ada, Map.of("assigned", "viewer"));
        assertThat(api.introspect(ada.token()).path("workspace_role").asText()).isEqualTo("member");

        api.changeMemberRole(ws, admin.token(), "ada", "admin");
        assertRoles(ada, Map.of("secret", "owner", "open", "owner", "assigned", "owner"));
        assertExactly(ada, Map.of("assigned", "owner"));
    }

    @Test
    void visibility_givesUsersContributorAtOnce_andServiceAccountsNothing() {
        Principal admin = workspaces.fresh("visibility");
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "proj", "private");
        Principal uma = workspaces.user(admin, "uma", "member");
        Principal unassigned = workspaces.serviceAccount(admin, "unassigned-bot");
        Principal viewer = workspaces.serviceAccount(admin, "viewer-bot");
        api.assignServiceAccount(ws, admin.token(), "proj", viewer.id(), "viewer");
        assertExactly(uma, Map.of());
        assertExactly(unassigned, Map.of());
        assertExactly(viewer, Map.of("proj", "viewer"));

        api.changeVisibility(ws, admin.token(), "proj", "workspace");
        assertRoles(uma, Map.of("proj", "contributor"));
        assertExactly(uma, Map.of());
        assertRoles(unassigned, Map.of("proj", NONE));
        assertExactly(unassigned, Map.of());
        assertExactly(viewer, Map.of("proj", "viewer"));
        // the project itself, read at once, shows the visibility that gives that role, not an older one
        JsonNode project = api.query("GET", Api.project(ws, "proj")).token(uma.token()).send().expect(200).json();
        assertThat(project.path("visibility").asText()).isEqualTo("workspace");
        assertThat(project.path("role").asText()).isEqualTo("contributor");

        api.changeVisibility(ws, admin.token(), "proj", "private");
        assertRoles(uma, Map.of("proj", NONE));
        assertExactly(uma, Map.of());

        api.changeVisibility(ws, admin.token(), "proj", "public");
        assertRoles(uma, Map.of("proj", "contributor"));
        assertRoles(unassigned, Map.of("proj", NONE));
        assertExactly(unassigned, Map.of());
        assertExactly(viewer, Map.of("proj", "viewer"));
    }

    // ------------------------------------------------------------------ all of it at once

    /**
     * Service-account workers each own an account and a private project and keep changing the account's role,
     * unassigning it, deactivating and reactivating it, issuing and revoking tokens; user workers each own a user
     * and a project and change its role, the project's visibility and the user's workspace role. After every
     * command the worker introspects (and asks /v1/me) at once and checks the exact expected answer. Meanwhile
     * readers hammer the listings and a writer changes unrelated projects and members of the same workspace.
     */
    @Test
    void underConcurrentLoad_theAnswerRightAfterEachCommandIsExact() throws Exception {
        Principal admin = workspaces.fresh("load");
        String ws = admin.ws();
        int serviceAccountWorkers = 6;
        int userWorkers = 2;
        Duration runFor = Duration.ofSeconds(12);
        // longer if a loaded machine has not done enough by then: the checks below count on a minimum of work
        Duration atMost = Duration.ofMinutes(2);

        Load load = new Load(admin);
        List<ServiceAccountWorker> accountWorkers = new ArrayList<>();
        for (int i = 0; i < serviceAccountWorkers; i++) {
            String key = "sa-work-" + i;
            api.createProject(ws, admin.token(), key, "private");
            accountWorkers.add(new ServiceAccountWorker(load, key, workspaces.serviceAccount(admin, "worker-" + i),
                    new Random(31L * i + 7)));
        }
        List<Worker> workers = new ArrayList<>(accountWorkers);
        for (int i = 0; i < userWorkers; i++) {
            String key = "user-work-" + i;
            api.createProject(ws, admin.token(), key, "private");
            workers.add(new UserWorker(load, key, workspaces.user(admin, "worker-user-" + i, "member"),
                    new Random(17L * i + 3)));
        }

        ExecutorService pool = Executors.newFixedThreadPool(workers.size() + 3);
        load.start(runFor, atMost);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (Worker worker : workers) {
                futures.add(pool.submit(worker));
            }
            for (int r = 0; r < 2; r++) {
                futures.add(pool.submit(reader(load, new Random(r))));
            }
            futures.add(pool.submit(noiseWriter(load, new Random(99))));
            for (Future<?> future : futures) {
                future.get(atMost.toSeconds() + 60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("IntrospectionIT under load for %s: %d commands checked, %d introspections and %d /v1/me "
                        + "answers checked exactly right after them; meanwhile %d background reads and %d background "
                        + "commands%n", runFor, load.commands.get(), load.introspections.get(), load.mes.get(),
                load.backgroundReads.get(), load.backgroundCommands.get());

        assertThat(load.failures).as("wrong answers right after a command, or failed requests").isEmpty();
        assertThat(load.introspections.get()).as("introspections checked").isGreaterThan(Load.MIN_INTROSPECTIONS);
        assertThat(load.backgroundReads.get()).as("background reads").isGreaterThan(Load.MIN_BACKGROUND_READS);
        assertThat(load.backgroundCommands.get()).as("background commands").isGreaterThan(Load.MIN_BACKGROUND_COMMANDS);

        // and the read models, eventually, agree with the access tables
        for (ServiceAccountWorker worker : accountWorkers) {
            String expected = worker.role; // its thread has ended: future.get() above
            Eventually.read(() -> api.projectServiceAccounts(ws, admin.token(), worker.key), page -> {
                if (expected == null) {
                    assertThat(Json.items(page)).as(worker.key).isEmpty();
                } else {
                    assertThat(Json.items(page)).as(worker.key).hasSize(1);
                    assertThat(Json.items(page).get(0).path("role").asText()).as(worker.key).isEqualTo(expected);
                    assertThat(Json.items(page).get(0).path("status").asText()).as(worker.key).isEqualTo("active");
                }
            });
        }
    }

    /** What the threads of the load test share: the workspace's admin, when to stop, what was done, what failed. */
    private static final class Load {
        static final long MIN_INTROSPECTIONS = 100;
        static final long MIN_BACKGROUND_READS = 20;
        static final long MIN_BACKGROUND_COMMANDS = 10;
        final Principal admin;
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong commands = new AtomicLong();
        final AtomicLong introspections = new AtomicLong();
        final AtomicLong mes = new AtomicLong();
        final AtomicLong backgroundReads = new AtomicLong();
        final AtomicLong backgroundCommands = new AtomicLong();
        private volatile Instant deadline;
        private volatile Instant lastDeadline;

        Load(Principal admin) {
            this.admin = admin;
        }

        void start(Duration runFor, Duration atMost) {
            Instant now = Instant.now();
            deadline = now.plus(runFor);
            lastDeadline = now.plus(atMost);
        }

        /**
         * Until the deadline, and past it until the minimum of work is done (up to the last deadline), only as long as
         * no thread has failed.
         */
        boolean running() {
            Instant now = Instant.now();
            return failures.isEmpty() && (now.isBefore(deadline) || !enough() && now.isBefore(lastDeadline));
        }

        private boolean enough() {
            return introspections.get() > MIN_INTROSPECTIONS && backgroundReads.get() > MIN_BACKGROUND_READS
                    && backgroundCommands.get() > MIN_BACKGROUND_COMMANDS;
        }
    }

    /**
     * One principal and its own private project, changed by one thread: a command, then at once the check that
     * the answers are exactly what it implies, again and again. A failure is reported with the last few commands.
     */
    private abstract static class Worker implements Callable<Void> {
        final Load load;
        final Principal admin;
        final String key;
        final Random random;
        private final String name;
        private final List<String> history = new ArrayList<>();

        Worker(Load load, String key, String name, Random random) {
            this.load = load;
            this.admin = load.admin;
            this.key = key;
            this.name = name;
            this.random = random;
        }

        /** One or more commands, each followed by the check of the answers right after it. */
        abstract void step();

        /** Records what the worker is about to do, for the failure message. */
        void doing(String command) {
            history.add(command);
        }

        @Override
        public Void call() {
            try {
                while (load.running()) {
                    step();
                }
            } catch (AssertionError | RuntimeException e) {
                load.failures.add(name + " after "
                        + String.join(", ", history.subList(Math.max(0, history.size() - 4), history.size()))
                        + ": " + e.getMessage());
            }
            return null;
        }
    }

    /** A service account: assigned, re-assigned and unassigned, deactivated and reactivated, given extra tokens. */
    private static final class ServiceAccountWorker extends Worker {
        /** The account, with its current token. */
        private Principal account;
        /** Its role in its project; null while unassigned. */
        private String role;

        ServiceAccountWorker(Load load, String key, Principal account, Random random) {
            super(load, key, account.name(), random);
            this.account = account;
        }

        @Override
        void step() {
            String ws = admin.ws();
            int action = random.nextInt(10);
            if (action < 5 || (action < 7 && role == null)) {
                role = ROLES.get(random.nextInt(ROLES.size()));
                doing("assign " + role);
                api.assignServiceAccount(ws, admin.token(), key, account.id(), role);
            } else if (action < 7) {
                doing("unassign");
                api.unassignServiceAccount(ws, admin.token(), key, account.id());
                role = null;
            } else if (action < 9) {
                doing("deactivate");
                api.deactivate(ws, admin.token(), account.id());
                load.commands.incrementAndGet();
                checkInactive(account.token());
                String old = account.token();
                doing("reactivate");
                account = account.withToken(api.reactivate(ws, admin.token(), account.id()).path("token"));
                checkInactive(old);
            } else {
                doing("issue and revoke a token");
                Principal extra = account.withToken(api.issueToken(ws, admin.token(), account.id()));
                load.commands.incrementAndGet();
                checkExact(extra);
                api.revokeToken(ws, admin.token(), account.id(), extra.tokenId());
                checkInactive(extra.token());
            }
            load.commands.incrementAndGet();
            checkExact(account);
        }

        private void checkExact(Principal withToken) {
            assertExactly(withToken, role == null ? Map.of() : Map.of(key, role));
            load.introspections.incrementAndGet();
            load.mes.incrementAndGet();
        }

        private void checkInactive(String secret) {
            assertInactive(secret);
            assertThat(api.me(secret).status()).as("/v1/me").isEqualTo(401);
            load.introspections.incrementAndGet();
            load.mes.incrementAndGet();
        }
    }

    /**
     * A user and its own private project: explicit role, the project's visibility and the user's workspace role
     * change; the answer for its project is checked exactly (others' projects may come and go through visibility).
     */
    private static final class UserWorker extends Worker {
        private final Principal user;
        private String explicit;
        private boolean workspaceVisible;
        private boolean workspaceAdmin;

        UserWorker(Load load, String key, Principal user, Random random) {
            super(load, key, user.name(), random);
            this.user = user;
        }

        @Override
        void step() {
            String ws = admin.ws();
            int action = random.nextInt(8);
            if (action < 3 || (action < 4 && explicit == null)) {
                explicit = ROLES.get(random.nextInt(ROLES.size()));
                doing("assign " + explicit);
                api.assignMember(ws, admin.token(), key, user.id(), explicit);
            } else if (action < 4) {
                doing("unassign");
                api.unassignMember(ws, admin.token(), key, user.id());
                explicit = null;
            } else if (action < 6) {
                workspaceVisible = !workspaceVisible;
                doing("visibility " + (workspaceVisible ? "workspace" : "private"));
                api.changeVisibility(ws, admin.token(), key, workspaceVisible ? "workspace" : "private");
            } else {
                workspaceAdmin = !workspaceAdmin;
                doing("workspace role " + (workspaceAdmin ? "admin" : "member"));
                api.changeMemberRole(ws, admin.token(), user.id(), workspaceAdmin ? "admin" : "member");
            }
            load.commands.incrementAndGet();

            String expected = workspaceAdmin ? "owner" : higher(explicit, workspaceVisible ? "contributor" : null);
            JsonNode introspection = api.introspectFor(user.token(), key).expect(200).json();
            load.introspections.incrementAndGet();
            assertThat(introspection.path("active").asBoolean()).as("active: " + introspection).isTrue();
            assertThat(introspection.path("workspace_role").asText()).isEqualTo(workspaceAdmin ? "admin" : "member");
            Map<String, String> projects = projects(introspection);
            assertThat(projects.get(key)).as("role in " + key + ": " + projects).isEqualTo(expected);
            assertThat(projects.keySet()).as("asked for one project").isSubsetOf(key);
            JsonNode bounded = api.introspect(user.token());
            load.introspections.incrementAndGet();
            assertThat(projects(bounded)).as("explicit grants only")
                    .isEqualTo(explicit == null ? Map.of() : Map.of(key, expected));
            assertThat(bounded.path("implicit_access").has("workspace-admin")).as("admin: " + bounded)
                    .isEqualTo(workspaceAdmin);
            JsonNode me = api.me(user.token(), "project:" + key).expect(200).json();
            load.mes.incrementAndGet();
            assertThat(me.path("workspaceRole").asText()).isEqualTo(workspaceAdmin ? "admin" : "member");
            assertThat(Json.find(Json.list(me.path("projects")), "key", key).map(p -> p.path("role").asText())
                    .orElse(null)).as("/v1/me role in " + key).isEqualTo(expected);
        }
    }

    /** Admin reads of every listing, each must be 200. */
    private static Callable<Void> reader(Load load, Random random) {
        return () -> {
            Principal admin = load.admin;
            String ws = admin.ws();
            while (load.running()) {
                String key = "sa-work-" + random.nextInt(6);
                for (Response response : List.of(
                        api.listProjects(ws, admin.token()),
                        api.listMembers(ws, admin.token()),
                        api.projectAccess(ws, admin.token(), key),
                        api.projectServiceAccounts(ws, admin.token(), key),
                        api.projectMembers(ws, admin.token(), key),
                        api.listServiceAccounts(ws, admin.token()),
                        api.me(admin.token()))) {
                    load.backgroundReads.incrementAndGet();
                    if (response.status() != 200) {
                        load.failures.add("background read: " + response);
                    }
                }
            }
            return null;
        };
    }

    /** Unrelated changes in the same workspace: projects created, renamed, made visible; members come and go. */
    private static Callable<Void> noiseWriter(Load load, Random random) {
        return () -> {
            Principal admin = load.admin;
            String ws = admin.ws();
            List<String> noiseProjects = new ArrayList<>();
            Set<String> noiseMembers = new LinkedHashSet<>();
            int n = 0;
            try {
                while (load.running()) {
                    n++;
                    int action = random.nextInt(5);
                    if (action == 0 || noiseProjects.isEmpty()) {
                        String key = "noise-" + n;
                        api.createProject(ws, admin.token(), key, random.nextBoolean() ? "workspace" : "private");
                        noiseProjects.add(key);
                    } else if (action == 1) {
                        String key = noiseProjects.get(random.nextInt(noiseProjects.size()));
                        api.changeVisibility(ws, admin.token(), key,
                                List.of("private", "workspace", "public").get(random.nextInt(3)));
                    } else if (action == 2) {
                        String key = noiseProjects.get(random.nextInt(noiseProjects.size()));
                        api.updateProject(ws, admin.token(), key, Map.of("name", "Noise " + n));
                    } else if (action == 3 || noiseMembers.isEmpty()) {
                        String username = "noise-user-" + n;
                        api.addMember(ws, admin.token(), username, "member");
                        noiseMembers.add(username);
                        String key = noiseProjects.get(random.nextInt(noiseProjects.size()));
                        api.assignMember(ws, admin.token(), key, username, ROLES.get(random.nextInt(3)));
                    } else {
                        Iterator<String> first = noiseMembers.iterator();
                        String username = first.next();
                        first.remove();
                        api.removeMember(ws, admin.token(), username);
                    }
                    load.backgroundCommands.incrementAndGet();
                }
            } catch (AssertionError | RuntimeException e) {
                load.failures.add("background command: " + e.getMessage());
            }
            return null;
        };
    }

    // ------------------------------------------------------------------ helpers

    /** In {@link #assertRoles}: no role in that project. */
    private static final String NONE = "none";

    /**
     * Active, this principal and token, and exactly these projects listed (its explicit grants, each with its
     * effective role), the implicit access its type and workspace role give, and the scope they all imply, in both
     * answers without {@code resource}.
     */
    private static void assertExactly(Principal principal, Map<String, String> expected) {
        JsonNode introspection = api.introspect(principal.token());
        assertThat(introspection.path("active").asBoolean()).as("active: " + introspection).isTrue();
        assertThat(introspection.path("sub").asText()).isEqualTo(principal.id());
        assertThat(introspection.path("workspace").asText()).isEqualTo(principal.ws());
        assertThat(introspection.path("token_id").asText()).isEqualTo(principal.tokenId());
        assertThat(projects(introspection)).as(principal.name() + "'s introspected projects").isEqualTo(expected);
        Map<String, String> implicit = new TreeMap<>();
        if (introspection.path("principal_type").asText().equals("user")) {
            implicit.put("visibility", "contributor");
            if (introspection.path("workspace_role").asText().equals("admin")) {
                implicit.put("workspace-admin", "owner");
            }
        }
        Map<String, String> implicitAnswered = new TreeMap<>();
        introspection.path("implicit_access").properties()
                .forEach(e -> implicitAnswered.put(e.getKey(), e.getValue().asText()));
        assertThat(implicitAnswered).as(principal.name() + "'s implicit access").isEqualTo(implicit);
        List<String> scope = expectedScope(expected);
        implicit.forEach((source, role) ->
                scope.addAll(expectedScope(Map.of(source.equals("visibility") ? "*visible" : "*", role))));
        assertThat(scope(introspection)).as(principal.name() + "'s scope")
                .containsExactlyInAnyOrderElementsOf(scope).isSorted();
        assertThat(introspection.has("projects_truncated")).isFalse();
        JsonNode me = api.me(principal.token()).expect(200).json();
        assertThat(meProjects(me)).as(principal.name() + "'s projects in /v1/me").isEqualTo(expected);
        assertThat(me.path("implicitAccess")).as("/v1/me's implicit access")
                .isEqualTo(introspection.path("implicit_access"));
    }

    /**
     * The principal's role in each of these projects ({@link #NONE} for none), asked one project at a time: by
     * introspection with {@code resource} as a key and as {@code project:<key>}, and by {@code /v1/me?resource=}.
     * A project it has no role in is answered as one that does not exist: no project, no scope.
     */
    private static void assertRoles(Principal principal, Map<String, String> roles) {
        roles.forEach((key, role) -> {
            Map<String, String> expected = role.equals(NONE) ? Map.of() : Map.of(key, role);
            for (String resource : List.of(key, "project:" + key)) {
                JsonNode one = api.introspectFor(principal.token(), resource).expect(200).json();
                assertThat(one.path("active").asBoolean()).as("active: " + one).isTrue();
                assertThat(one.path("token_id").asText()).isEqualTo(principal.tokenId());
                assertThat(projects(one)).as(principal.name() + " in " + resource).isEqualTo(expected);
                assertThat(scope(one)).as(principal.name() + "'s scope in " + resource)
                        .containsExactlyInAnyOrderElementsOf(expectedScope(expected)).isSorted();
                assertThat(one.has("implicit_access")).as("about that project alone").isFalse();
            }
            JsonNode me = api.me(principal.token(), key).expect(200).json();
            assertThat(meProjects(me)).as(principal.name() + " in " + key + ", /v1/me").isEqualTo(expected);
            assertThat(me.has("implicitAccess")).isFalse();
        });
    }

    private static Map<String, String> meProjects(JsonNode me) {
        Map<String, String> projects = new TreeMap<>();
        Json.list(me.path("projects")).forEach(p -> projects.put(p.path("key").asText(), p.path("role").asText()));
        return projects;
    }

    /** {@code {"active": false}} and nothing else: an inactive token tells nothing about itself. */
    private static void assertInactive(String token) {
        JsonNode introspection = api.introspect(token);
        assertThat(introspection.path("active").isBoolean()).as("active is a boolean: " + introspection).isTrue();
        assertThat(introspection.path("active").asBoolean()).as("active: " + introspection).isFalse();
        List<String> fields = new ArrayList<>();
        introspection.properties().forEach(e -> fields.add(e.getKey()));
        assertThat(fields).as("an inactive token's introspection: " + introspection).containsExactly("active");
    }

    /** The scope these project roles give: read in each, write from contributor up, manage for owners. */
    private static List<String> expectedScope(Map<String, String> projects) {
        List<String> scope = new ArrayList<>();
        projects.forEach((key, role) -> {
            scope.add(key + ":read");
            if (!role.equals("viewer")) {
                scope.add(key + ":write");
            }
            if (role.equals("owner")) {
                scope.add(key + ":manage");
            }
        });
        return scope;
    }

    /** The higher of two roles; null stands for none. */
    private static String higher(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null || ROLES.indexOf(a) >= ROLES.indexOf(b) ? a : b;
    }

    // ------------------------------------------------------------------ the short route (IntrospectionRoute)

    /**
     * A form POST that asks for JSON is answered by {@code IntrospectionRoute}, outside Spring MVC's dispatch. The
     * same request with an {@code Accept} header the route leaves to Spring MVC (the same types with {@code ;q=1},
     * which Spring MVC reads as the same) goes through Spring MVC. Their answers must be the same, status line,
     * headers in their order and body as framed, but for the request id and the date: for every kind of answer.
     */
    @Test
    void theShortRoute_answersAsSpringMvcDoes_headerByHeader() {
        Principal admin = workspaces.fresh("route");
        Principal robot = workspaces.serviceAccount(admin, "route-bot");
        api.createProject(admin.ws(), admin.token(), "alpha", "private");
        api.assignServiceAccount(admin.ws(), admin.token(), "alpha", robot.id(), "contributor");
        JsonNode client = api.registerIntrospectionClient("route");
        String basic = Api.basic(client.path("client_id").asText(), client.path("client_secret").asText());
        String operator = "Bearer " + api.operatorToken();
        String notTheOperator = "Bearer not-the-operator-" + "x".repeat(40);
        String token = "token=" + robot.token();
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("active", new String[] {operator, token});
        cases.put("active, one project", new String[] {operator, token + "&resource=project:alpha"});
        cases.put("active, by a client", new String[] {basic, token});
        cases.put("inactive", new String[] {operator, "token=svc_nothing-of-the-kind"});
        cases.put("no token", new String[] {operator, ""});
        cases.put("empty token", new String[] {operator, "token="});
        cases.put("unknown field", new String[] {operator, token + "&colour=blue"});
        cases.put("malformed form", new String[] {operator, "token=%zz"});
        cases.put("malformed resource", new String[] {operator, token + "&resource=project:%21%21"});
        cases.put("two client authentications", new String[] {operator, token + "&client_id=x&client_secret=y"});
        cases.put("no client authentication", new String[] {null, token});
        cases.put("wrong client secret", new String[] {Api.basic(client.path("client_id").asText(), "wrong"), token});
        cases.put("malformed basic", new String[] {"Basic !!!", token});
        cases.put("not the operator", new String[] {notTheOperator, token});
        cases.put("not the operator, malformed form", new String[] {notTheOperator, "token=%zz"});
        cases.put("a token that may not introspect", new String[] {"Bearer " + robot.token(), token});
        Map<String, String> twins = new LinkedHashMap<>();
        twins.put(null, "*/*;q=1");
        twins.put("*/*", "*/*;q=1");
        twins.put("application/json", "application/json;q=1");
        twins.put("application/json, application/problem+json", "application/json;q=1, application/problem+json;q=1");
        for (Map.Entry<String, String[]> kind : cases.entrySet()) {
            for (Map.Entry<String, String> accept : twins.entrySet()) {
                String[] request = kind.getValue();
                String shortRoute = rawIntrospection(request[0], accept.getKey(), request[1]);
                String springMvc = rawIntrospection(request[0], accept.getValue(), request[1]);
                assertThat(shortRoute).as(kind.getKey() + ", Accept " + accept.getKey()).isEqualTo(springMvc);
            }
        }
        assertThat(rawIntrospection(operator, null, token)).contains("\"active\":true");
        assertThat(rawIntrospection(operator, null, "token=svc_nothing-of-the-kind")).contains("{\"active\":false}");
    }

    /**
     * The comparison's premise: the route answers the request it takes itself, and its twin goes through Spring MVC
     * (whose DispatcherServlet reports each request it handles). Without it, a route that took nothing would pass the
     * comparison, comparing Spring MVC with itself.
     */
    @Test
    void theShortRoute_answersWhatItTakes_andItsTwinGoesThroughSpringMvc() {
        Principal admin = workspaces.fresh("taken");
        Principal robot = workspaces.serviceAccount(admin, "taken-bot");
        String operator = "Bearer " + api.operatorToken();
        List<String> dispatched = new CopyOnWriteArrayList<>();
        ApplicationListener<ServletRequestHandledEvent> listener =
                handled -> dispatched.add(handled.getMethod() + " " + handled.getRequestUrl());
        system.querySide().addApplicationListener(listener);
        try {
            assertThat(rawIntrospection(operator, "application/json", "token=" + robot.token()))
                    .contains("\"active\":true");
            rawIntrospection(operator, "application/json;q=1", "token=" + robot.token());
            // DispatcherServlet reports a request after answering it: wait for a later request's report, so a
            // report of the routed request, were it dispatched, would be in by then
            RawHttp.send(system.queryUrl(), "GET /actuator/health HTTP/1.1\r\n");
            Eventually.untilAsserted(() -> assertThat(dispatched).contains("GET /actuator/health"));
            assertThat(dispatched).containsExactly("POST /v1/introspect", "GET /actuator/health");
        } finally {
            system.querySide().removeApplicationListener(listener);
        }
    }

    /** The answer as it came, its request id and date left out. */
    private static String rawIntrospection(String authorization, String accept, String form) {
        StringBuilder head = new StringBuilder("POST /v1/introspect HTTP/1.1\r\n");
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        if (accept != null) {
            head.append("Accept: ").append(accept).append("\r\n");
        }
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        head.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(body.length)
                .append("\r\n");
        String answer = RawHttp.sendForText(system.queryUrl(), head.toString(), body);
        Matcher requestId = Pattern.compile("(?md)^X-Request-Id: (\\S+)\r$").matcher(answer);
        assertThat(requestId.find()).as(answer).isTrue();
        return answer.replace(requestId.group(1), "<request id>").replaceAll("(?md)^Date: .*\r$", "Date: <date>\r");
    }
}
