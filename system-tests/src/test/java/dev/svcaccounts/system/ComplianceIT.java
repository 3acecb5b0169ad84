package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.credentials.TokenUsageRecorder;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static dev.svcaccounts.system.support.Api.serviceAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * The compliance reports over HTTP: working tokens without expiry, older than N days, unused for N days (with
 * the last use recorded for real by both sides), service accounts holding {@code owner} anywhere, and deactivated
 * accounts that still hold assignments; admins of the workspace only. Each test works in a workspace of its own,
 * so a report lists exactly what the test made.
 *
 * <p>Nobody waits days here: to make a token old or its last use long ago, tests move its {@code created_at}
 * (query-side token read models) or {@code last_used_at} ({@code command_side.token_usage}) back in SQL.
 */
class ComplianceIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("compliance");
    private static Api api;
    private static Workspaces workspaces;

    @BeforeAll
    static void setUp() {
        api = system.api();
        workspaces = new Workspaces(api);
    }

    // ------------------------------------------------------------------ tokens

    @Test
    void tokenReport_listsEveryWorkingTokenOfAccountsAndUsers_oldestFirst_withItsOwner() {
        Principal admin = workspaces.fresh("tokens");
        String ws = admin.ws();
        Principal ci = workspaces.serviceAccount(admin, "ci");
        JsonNode expiring = api.issueToken(ws, admin.token(), ci.id(),
                Map.of("description", "evaluation job", "expiresAt", inDays(365).toString()));
        String revoked = api.issueToken(ws, admin.token(), ci.id()).path("id").asText();
        api.revokeToken(ws, admin.token(), ci.id(), revoked);
        // soon, yet not before it is issued (an expiry in the past is refused): 5 s for a loaded machine
        api.issueToken(ws, admin.token(), ci.id(), Map.of("expiresAt", Instant.now().plusSeconds(5).toString()));
        Principal bob = workspaces.user(admin, "bob", "member");
        Principal gone = workspaces.serviceAccount(admin, "gone");
        api.deactivate(ws, admin.token(), gone.id());

        // the revoked token, the one that expires in 5 s and the deactivated account's are not working tokens (an
        // absence holds before the account is applied as well: wait for every event first)
        system.awaitProjectionsCaughtUp();
        JsonNode report = Eventually.read(() -> tokens(admin, Map.of()), page -> assertThat(ids(page))
                .containsExactly(admin.tokenId(), ci.tokenId(), expiring.path("id").asText(), bob.tokenId()));

        JsonNode evaluation = Json.item(report, "id", expiring.path("id").asText());
        assertThat(evaluation.path("hint").asText()).startsWith("svcacct_");
        assertThat(evaluation.path("owner")).isEqualTo(owner("service_account", ci.id(), "ci"));
        assertThat(evaluation.path("ownerStatus").asText()).isEqualTo("active");
        assertThat(evaluation.path("description").asText()).isEqualTo("evaluation job");
        assertThat(Instant.parse(evaluation.path("expiresAt").asText()))
                .isEqualTo(Instant.parse(expiring.path("expiresAt").asText()));
        assertThat(Instant.parse(evaluation.path("createdAt").asText())).isBefore(Instant.now());
        assertThat(evaluation.path("neverUsed").asBoolean()).isTrue();
        assertThat(evaluation.path("lastUsedAt").isNull()).isTrue();
        assertThat(evaluation.path("lastUsedIp").isNull()).isTrue();
        assertThat(Json.item(report, "id", bob.tokenId()).path("owner")).isEqualTo(owner("user", "bob", "bob"));
        assertThat(tokens(admin, Map.of()).body())
                .doesNotContain(expiring.path("secret").asText(), ci.token(), bob.token());
    }

    @Test
    void withoutExpiry_true_listsTokensThatNeverExpire_andFalse_thoseThatDo() {
        Principal admin = workspaces.fresh("expiry");
        Principal ci = workspaces.serviceAccount(admin, "ci");
        String expiring = api.issueToken(admin.ws(), admin.token(), ci.id(),
                Map.of("expiresAt", inDays(30).toString())).path("id").asText();

        Eventually.read(() -> tokens(admin, Map.of("withoutExpiry", "true")),
                page -> assertThat(ids(page)).containsExactly(admin.tokenId(), ci.tokenId()));
        Eventually.read(() -> tokens(admin, Map.of("withoutExpiry", "false")),
                page -> assertThat(ids(page)).containsExactly(expiring));
    }

    @Test
    void olderThanDays_listsTokensCreatedMoreThanNDaysAgo() {
        Principal admin = workspaces.fresh("older");
        Principal ci = workspaces.serviceAccount(admin, "ci");
        String recent = api.issueToken(admin.ws(), admin.token(), ci.id()).path("id").asText();
        Principal bob = workspaces.user(admin, "bob", "member");
        awaitTokens(admin, ci.tokenId(), recent, bob.tokenId());
        ageToken("service_account_token", ci.tokenId(), 100);
        ageToken("service_account_token", recent, 10);
        ageToken("member_token", bob.tokenId(), 200);

        assertThat(ids(tokens(admin, Map.of("olderThanDays", "90")).expect(200).json()))
                .containsExactly(bob.tokenId(), ci.tokenId());
        assertThat(ids(tokens(admin, Map.of("olderThanDays", "9")).expect(200).json()))
                .containsExactly(bob.tokenId(), ci.tokenId(), recent);
        assertThat(ids(tokens(admin, Map.of("olderThanDays", "90", "withoutExpiry", "false")).expect(200).json()))
                .as("both filters").isEmpty();
    }

    @Test
    void unusedForDays_followsRealUse_onEitherSide() {
        Principal admin = workspaces.fresh("unused");
        Principal ci = workspaces.serviceAccount(admin, "ci");
        Principal bob = workspaces.user(admin, "bob", "member");
        awaitTokens(admin, ci.tokenId(), bob.tokenId());
        ageToken("service_account_token", ci.tokenId(), 40);
        ageToken("member_token", bob.tokenId(), 40);
        assertThat(ids(tokens(admin, Map.of("unusedForDays", "30")).expect(200).json()))
                .as("issued 40 days ago, never used").containsExactly(ci.tokenId(), bob.tokenId());

        // the account reads on the query side, bob writes on the command side; each side records its own uses
        Instant before = Instant.now();
        api.me(ci.token()).expect(200);
        api.createProject(admin.ws(), bob.token(), "notebook", "private");
        Instant after = Instant.now();
        recorder(system.querySide()).flush();
        recorder(system.commandSide()).flush();

        JsonNode all = tokens(admin, Map.of()).expect(200).json();
        for (String tokenId : List.of(ci.tokenId(), bob.tokenId())) {
            JsonNode used = Json.item(all, "id", tokenId);
            assertThat(Instant.parse(used.path("lastUsedAt").asText()))
                    .isBetween(before.minusSeconds(1), after.plusSeconds(1));
            assertThat(used.path("lastUsedIp").asText()).isEqualTo("127.0.0.1");
            assertThat(used.path("neverUsed").asBoolean()).isFalse();
        }
        assertThat(ids(tokens(admin, Map.of("unusedForDays", "30")).expect(200).json())).as("used just now").isEmpty();

        // a last use 45 days ago: unused for 30 days, not for 50
        system.database().jdbc().update("UPDATE command_side.token_usage"
                + " SET last_used_at = last_used_at - interval '45 days' WHERE token_id = ?", ci.tokenId());
        JsonNode unused = tokens(admin, Map.of("unusedForDays", "30")).expect(200).json();
        assertThat(ids(unused)).containsExactly(ci.tokenId());
        assertThat(Json.item(unused, "id", ci.tokenId()).path("neverUsed").asBoolean()).isFalse();
        assertThat(ids(tokens(admin, Map.of("unusedForDays", "50")).expect(200).json())).isEmpty();
        assertThat(ids(tokens(admin, Map.of("unusedForDays", "30", "olderThanDays", "39")).expect(200).json()))
                .as("both filters").containsExactly(ci.tokenId());
    }

    // ------------------------------------------------------------------ service accounts

    @Test
    void serviceAccountsWithOwner_listsEveryAccountHoldingTheOwnerRole_withThoseProjects() {
        Principal admin = workspaces.fresh("owners");
        String ws = admin.ws();
        Principal deployer = workspaces.serviceAccount(admin, "deployer");
        Principal builder = workspaces.serviceAccount(admin, "builder");
        Principal reader = workspaces.serviceAccount(admin, "reader");
        Principal retired = workspaces.serviceAccount(admin, "retired");
        Principal bob = workspaces.user(admin, "bob", "member");
        api.createProject(ws, admin.token(), "churn", "private");
        api.createProject(ws, builder.token(), "fraud", "private"); // its creator becomes its owner
        api.createProject(ws, admin.token(), "ledger", "private");
        api.assignServiceAccount(ws, admin.token(), "churn", deployer.id(), "owner");
        api.assignServiceAccount(ws, admin.token(), "fraud", deployer.id(), "contributor");
        api.assignServiceAccount(ws, admin.token(), "churn", builder.id(), "owner");
        api.assignServiceAccount(ws, admin.token(), "churn", reader.id(), "viewer");
        api.assignServiceAccount(ws, admin.token(), "ledger", retired.id(), "owner");
        api.assignMember(ws, admin.token(), "ledger", bob.id(), "owner");
        api.deactivate(ws, admin.token(), retired.id());

        // by name; a deactivated account keeps its (ineffective) owner role, so it is listed with its status
        // (the deactivation reaches the report through another processor than the assignments: wait for both)
        JsonNode report = Eventually.read(() -> owners(admin), page -> {
            assertThat(ids(page)).containsExactly(builder.id(), deployer.id(), retired.id());
            assertThat(Json.item(page, "id", retired.id()).path("status").asText()).isEqualTo("deactivated");
        });
        assertThat(projects(Json.item(report, "id", builder.id())))
                .containsExactly("churn:Project churn:owner", "fraud:Project fraud:owner");
        assertThat(projects(Json.item(report, "id", deployer.id()))).containsExactly("churn:Project churn:owner");
        assertThat(Json.item(report, "id", deployer.id()).path("name").asText()).isEqualTo("deployer");
        assertThat(Json.item(report, "id", deployer.id()).path("status").asText()).isEqualTo("active");
        assertThat(Json.item(report, "id", retired.id()).path("status").asText()).isEqualTo("deactivated");

        api.unassignServiceAccount(ws, admin.token(), "churn", deployer.id());
        api.delete(ws, admin.token(), retired.id());
        Eventually.read(() -> owners(admin), page -> assertThat(ids(page)).containsExactly(builder.id()));
    }

    @Test
    void deactivatedWithAssignments_listsDeactivatedAccountsThatKeepAssignments_untilUnassignedOrReactivated() {
        Principal admin = workspaces.fresh("deactivated");
        String ws = admin.ws();
        Principal oldBot = workspaces.serviceAccount(admin, "old-bot");
        Principal idle = workspaces.serviceAccount(admin, "idle");
        Principal active = workspaces.serviceAccount(admin, "active");
        api.createProject(ws, admin.token(), "churn", "private");
        api.createProject(ws, admin.token(), "ledger", "private");
        api.assignServiceAccount(ws, admin.token(), "churn", oldBot.id(), "viewer");
        api.assignServiceAccount(ws, admin.token(), "ledger", oldBot.id(), "owner");
        api.assignServiceAccount(ws, admin.token(), "churn", active.id(), "contributor");
        api.command("POST", serviceAccount(ws, oldBot.id()) + "/deactivate").token(admin.token())
                .json(Map.of("reason", "token leaked in a log")).send().expect(200);
        api.deactivate(ws, admin.token(), idle.id()); // deactivated, but without assignments

        // listed once deactivated with one assignment: wait for the other assignment as well
        JsonNode report = Eventually.read(() -> deactivatedWithAssignments(admin), page -> {
            assertThat(ids(page)).containsExactly(oldBot.id());
            assertThat(projects(Json.item(page, "id", oldBot.id())))
                    .containsExactly("churn:Project churn:viewer", "ledger:Project ledger:owner");
        });
        JsonNode entry = Json.item(report, "id", oldBot.id());
        assertThat(entry.path("status").asText()).isEqualTo("deactivated");
        assertThat(entry.path("deactivationReason").asText()).isEqualTo("token leaked in a log");
        assertThat(Instant.parse(entry.path("deactivatedAt").asText())).isBefore(Instant.now());

        api.unassignServiceAccount(ws, admin.token(), "churn", oldBot.id());
        Eventually.read(() -> deactivatedWithAssignments(admin), page ->
                assertThat(projects(Json.item(page, "id", oldBot.id())))
                        .containsExactly("ledger:Project ledger:owner"));

        api.reactivate(ws, admin.token(), oldBot.id());
        Eventually.read(() -> deactivatedWithAssignments(admin), page -> assertThat(ids(page)).isEmpty());
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void badParameters_are400_namingTheParameter() {
        Principal admin = workspaces.fresh("bad-input");
        Map<String, String> cases = Map.of(
                "olderThanDays=-1", "olderThanDays", "olderThanDays=36501", "olderThanDays",
                "olderThanDays=1.5", "olderThanDays", "unusedForDays=abc", "unusedForDays",
                "unusedForDays=", "unusedForDays", "withoutExpiry=yes", "withoutExpiry",
                "unusedDays=90", "unusedDays", "olderThanDays=1&olderThanDays=2", "olderThanDays");
        assertSoftly(soft -> cases.forEach((query, parameter) -> {
            Response response = tokensWithQuery(admin, query);
            soft.assertThat(response.status()).as(response.toString()).isEqualTo(400);
            soft.assertThat(response.problemCode()).as(response.toString()).isEqualTo("invalid-parameter");
            soft.assertThat(response.detail()).as(response.toString()).contains("'" + parameter + "'");
        }));
        assertThat(tokensWithQuery(admin, "olderThanDays=36500&unusedForDays=0&withoutExpiry=false").status())
                .as("the limits themselves").isEqualTo(200);
    }

    @Test
    void onlyTheWorkspacesAdmins_mayReadTheReports_anotherWorkspaceIs404() {
        Principal admin = workspaces.fresh("guarded");
        Principal bob = workspaces.user(admin, "bob", "member");
        Principal ci = workspaces.serviceAccount(admin, "ci");
        Principal otherAdmin = workspaces.fresh("elsewhere");
        assertSoftly(soft -> {
            for (String report : List.of("tokens", "service-accounts-with-owner",
                    "deactivated-service-accounts-with-assignments")) {
                for (Principal outsider : List.of(bob, ci)) {
                    Response response =
                            api.query("GET", compliance(admin.ws()) + "/" + report).token(outsider.token()).send();
                    soft.assertThat(response.status()).as(response.toString()).isEqualTo(403);
                    soft.assertThat(response.problemCode()).as(response.toString())
                            .isEqualTo("workspace-admin-required");
                }
                Response other =
                        api.query("GET", compliance(admin.ws()) + "/" + report).token(otherAdmin.token()).send();
                soft.assertThat(other.status()).as(other.toString()).isEqualTo(404);
                soft.assertThat(other.problemCode()).as(other.toString()).isEqualTo("workspace-not-found");
                Response anonymous = api.query("GET", compliance(admin.ws()) + "/" + report).send();
                soft.assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    private static String compliance(String ws) {
        return "/v1/workspaces/" + ws + "/compliance";
    }

    private static Response tokens(Principal admin, Map<String, String> parameters) {
        Api.Request request = api.query("GET", compliance(admin.ws()) + "/tokens").token(admin.token());
        parameters.forEach(request::param);
        return request.send();
    }

    /** The token report with a query string sent as written, for malformed ones. */
    private static Response tokensWithQuery(Principal admin, String query) {
        return api.query("GET", compliance(admin.ws()) + "/tokens?" + query).token(admin.token()).send();
    }

    private static Response owners(Principal admin) {
        return api.query("GET", compliance(admin.ws()) + "/service-accounts-with-owner").token(admin.token()).send();
    }

    private static Response deactivatedWithAssignments(Principal admin) {
        return api.query("GET", compliance(admin.ws()) + "/deactivated-service-accounts-with-assignments")
                .token(admin.token()).send();
    }

    /** Until the token read models hold these tokens. */
    private static void awaitTokens(Principal admin, String... tokenIds) {
        Eventually.read(() -> tokens(admin, Map.of()), page -> assertThat(ids(page)).contains(tokenIds));
    }

    /** Moves a token's creation {@code days} back (see the class comment). */
    private static void ageToken(String readModel, String tokenId, int days) {
        int updated = system.database().jdbc().update("UPDATE query_side." + readModel
                + " SET created_at = created_at - make_interval(days => ?) WHERE token_id = ?", days, tokenId);
        assertThat(updated).isEqualTo(1);
    }

    private static TokenUsageRecorder recorder(ConfigurableApplicationContext application) {
        return application.getBean(TokenUsageRecorder.class);
    }

    private static List<String> ids(JsonNode page) {
        return Json.texts(Json.items(page), "id");
    }

    /** An account's projects as "key:name:role". */
    private static List<String> projects(JsonNode account) {
        return Json.list(account.path("projects")).stream()
                .map(p -> p.path("key").asText() + ":" + p.path("name").asText() + ":" + p.path("role").asText())
                .toList();
    }

    private static JsonNode owner(String type, String id, String name) {
        return Api.JSON.valueToTree(Map.of("type", type, "id", id, "name", name));
    }

    private static Instant inDays(int days) {
        return Instant.now().plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.SECONDS);
    }
}
