package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Probe;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.svcaccounts.system.support.Api.serviceAccount;
import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static dev.svcaccounts.system.support.Api.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * A service account from creation to deletion, driven through the command side and read back on the query
 * side, plus who may do what (admins only; other workspaces see nothing) and how bad input is refused.
 */
class ServiceAccountLifecycleIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("lifecycle");
    private static Api api;

    /** Workspace "acme" with admin alice and one account, used by the authorisation and bad-input tests. */
    private static final String WS = "acme";
    private static String adminToken;
    private static String saId;
    private static String saTokenId;
    private static String saToken;
    /** Another workspace, whose admin must see nothing of acme. */
    private static final String OTHER_WS = "globex";
    private static String otherAdminToken;
    private static String otherSaId;
    /** The account the bad-input tests aim at, so a wrongly accepted request cannot disturb the others. */
    private static String targetId;

    @BeforeAll
    static void setUp() {
        api = system.api();
        adminToken = api.createWorkspace(WS, "alice").path("token").path("secret").asText();
        JsonNode sa = api.createServiceAccount(WS, adminToken, "shared-fixture", "used by the rule tests");
        saId = sa.path("id").asText();
        saTokenId = sa.path("token").path("id").asText();
        saToken = sa.path("token").path("secret").asText();
        targetId = api.createServiceAccount(WS, adminToken, "bad-input-target").path("id").asText();
        otherAdminToken = api.createWorkspace(OTHER_WS, "bob").path("token").path("secret").asText();
        otherSaId = api.createServiceAccount(OTHER_WS, otherAdminToken, "globex-robot").path("id").asText();
    }

    // ------------------------------------------------------------------ the lifecycle

    @Test
    void creatingAWorkspace_returnsItsAdminAndAFirstUserToken_once() {
        JsonNode created = api.createWorkspace("initech", "peter.gibbons");

        assertThat(created.path("id").asText()).isEqualTo("initech");
        assertThat(created.path("name").asText()).isEqualTo("Workspace initech");
        assertThat(created.path("admin").path("username").asText()).isEqualTo("peter.gibbons");
        assertThat(created.path("admin").path("role").asText()).isEqualTo("admin");
        JsonNode token = created.path("token");
        String secret = token.path("secret").asText();
        assertThat(secret).startsWith("usrtok_").hasSize("usrtok_".length() + 43 + 6);
        assertThat(TokenSecret.isWellFormed(secret)).as("secret carries a valid checksum").isTrue();
        assertThat(token.path("id").asText()).isNotBlank();
        assertThat(token.path("hint").asText()).isEqualTo("usrtok_..." + secret.substring(secret.length() - 4));
        assertThat(token.has("expiresAt")).isTrue();

        // the admin's token works at once on both sides
        assertThat(Probe.commandSide(api, "initech", secret).status()).isEqualTo(404);
        assertThat(Probe.querySide(api, "initech", secret).status()).isEqualTo(200);
    }

    @Test
    void duplicateWorkspaceId_isAConflict_andTheExistingWorkspaceIsUntouched() {
        String adminOfFirst = api.createWorkspace("hooli-xyz", "gavin").path("token").path("secret").asText();

        Response duplicate = api.command("POST", "/v1/workspaces").token(api.operatorToken())
                .json(Map.of("id", "hooli-xyz", "name", "Again", "admin", Map.of("username", "someone")))
                .send();

        assertThat(duplicate.status()).as("creating a workspace whose id exists: %s", duplicate).isEqualTo(409);
        assertThat(duplicate.isProblem()).isTrue();
        assertThat(duplicate.detail()).contains("hooli-xyz");
        assertThat(Probe.querySide(api, "hooli-xyz", adminOfFirst).status()).isEqualTo(200);
    }

    @Test
    void serviceAccount_wholeLifecycle_isEnforcedOnTheCommandSideAndReflectedOnTheQuerySide() {
        String ws = "lifecycle";
        String admin = api.createWorkspace(ws, "alice").path("token").path("secret").asText();

        // create
        Response createdResponse = api.command("POST", serviceAccounts(ws)).token(admin)
                .json(Map.of("name", "ci-pipeline", "description", "builds the main branch")).send().expect(201);
        JsonNode created = createdResponse.json();
        String id = created.path("id").asText();
        String location = createdResponse.header("Location");
        assertThat(location).endsWith(serviceAccount(ws, id));
        assertThat(created.path("name").asText()).isEqualTo("ci-pipeline");
        assertThat(created.path("description").asText()).isEqualTo("builds the main branch");
        assertThat(created.path("status").asText()).isEqualTo("active");
        JsonNode firstToken = created.path("token");
        String firstSecret = firstToken.path("secret").asText();
        String firstTokenId = firstToken.path("id").asText();
        assertThat(firstSecret).startsWith("svcacct_").hasSize("svcacct_".length() + 43 + 6);
        assertThat(TokenSecret.isWellFormed(firstSecret)).isTrue();
        assertThat(firstToken.path("hint").asText())
                .isEqualTo("svcacct_..." + firstSecret.substring(firstSecret.length() - 4));
        assertThat(firstToken.path("expiresAt").isNull()).as("first token never expires").isTrue();

        // the account's token authenticates on both sides at once: forbidden (403), not unauthenticated (401)
        assertThat(Probe.commandSide(api, ws, firstSecret).status()).isEqualTo(403);
        assertThat(Probe.querySide(api, ws, firstSecret).status()).isEqualTo(403);

        // listed once the account is created; its first token is the command's second event, which a batch of
        // the projection may not hold yet: wait for it too (the detail below lists it)
        JsonNode listed = Eventually.read(() -> api.listServiceAccounts(ws, admin),
                page -> assertThat(Json.item(page, "id", id).path("activeTokens").asInt()).isEqualTo(1));
        JsonNode item = Json.findById(listed, id).orElseThrow();
        assertThat(item.path("name").asText()).isEqualTo("ci-pipeline");
        assertThat(item.path("description").asText()).isEqualTo("builds the main branch");
        assertThat(item.path("status").asText()).isEqualTo("active");
        Instant createdAt = Instant.parse(item.path("createdAt").asText());
        assertThat(createdAt).isBetween(Instant.now().minus(1, ChronoUnit.MINUTES), Instant.now().plusSeconds(5));
        assertThat(item.path("updatedAt").asText()).isNotBlank();

        // the Location of the new account is where the query side serves it
        JsonNode detail = api.query("GET", location.substring(location.indexOf("/v1/"))).token(admin).send()
                .expect(200).json();
        assertThat(detail.path("id").asText()).isEqualTo(id);
        assertThat(Json.texts(Json.list(detail.path("tokens")), "id")).containsExactly(firstTokenId);
        assertNoSecretIn(detail, firstSecret);

        // rename
        JsonNode renamed = api.rename(ws, admin, id, "ci-builds");
        assertThat(renamed.path("id").asText()).isEqualTo(id);
        assertThat(renamed.path("name").asText()).isEqualTo("ci-builds");
        assertThat(renamed.path("description").asText()).isEqualTo("builds the main branch");
        assertThat(renamed.path("status").asText()).isEqualTo("active");
        assertThat(renamed.has("token")).as("an update issues no token").isFalse();
        Eventually.read(() -> api.getServiceAccount(ws, admin, id), sa -> {
            assertThat(sa.path("name").asText()).isEqualTo("ci-builds");
            assertThat(Instant.parse(sa.path("updatedAt").asText())).isAfterOrEqualTo(createdAt);
        });

        // more tokens, up to five active
        JsonNode second = api.issueToken(ws, admin, id, Map.of("description", "deploy job"));
        Instant inADay = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        JsonNode third =
                api.issueToken(ws, admin, id, Map.of("description", "nightly", "expiresAt", inADay.toString()));
        JsonNode fourth = api.issueToken(ws, admin, id);
        JsonNode fifth = api.issueToken(ws, admin, id, Map.of());
        assertThat(second.path("description").asText()).isEqualTo("deploy job");
        assertThat(second.path("expiresAt").isNull()).isTrue();
        assertThat(Instant.parse(third.path("expiresAt").asText())).isEqualTo(inADay);
        List<JsonNode> issued = List.of(firstToken, second, third, fourth, fifth);
        assertThat(Json.texts(issued, "id")).doesNotHaveDuplicates();
        assertThat(Json.texts(issued, "secret")).doesNotHaveDuplicates().allMatch(TokenSecret::isWellFormed);
        for (JsonNode token : issued) {
            assertThat(Probe.commandSide(api, ws, token.path("secret").asText()).status()).isEqualTo(403);
            assertThat(Probe.querySide(api, ws, token.path("secret").asText()).status()).isEqualTo(403);
        }

        Response sixth = api.command("POST", tokens(ws, id)).token(admin).send();
        assertThat(sixth.status()).isEqualTo(409);
        assertThat(sixth.isProblem()).isTrue();
        assertThat(sixth.detail()).contains("5 active tokens");

        JsonNode tokenList = Eventually.read(() -> api.listTokens(ws, admin, id),
                page -> assertThat(Json.items(page)).hasSize(5).allSatisfy(
                        t -> assertThat(t.path("status").asText()).isEqualTo("active")));
        JsonNode listedThird = Json.findById(tokenList, third.path("id").asText()).orElseThrow();
        assertThat(listedThird.path("description").asText()).isEqualTo("nightly");
        assertThat(Instant.parse(listedThird.path("expiresAt").asText())).isEqualTo(inADay);
        assertThat(listedThird.path("hint").asText()).isEqualTo(third.path("hint").asText());
        assertThat(listedThird.path("createdAt").asText()).isNotBlank();
        assertThat(listedThird.path("revokedAt").isNull()).isTrue();
        for (JsonNode token : issued) {
            assertNoSecretIn(tokenList, token.path("secret").asText());
        }
        Eventually.read(() -> api.getServiceAccount(ws, admin, id),
                sa -> assertThat(sa.path("activeTokens").asInt()).isEqualTo(5));

        // revoke one: it stops working, the others do not, and it no longer counts towards the limit
        String secondId = second.path("id").asText();
        api.revokeToken(ws, admin, id, secondId);
        assertThat(Probe.commandSide(api, ws, second.path("secret").asText()).status()).isEqualTo(401);
        assertThat(Probe.querySide(api, ws, second.path("secret").asText()).status()).isEqualTo(401);
        assertThat(Probe.querySide(api, ws, firstSecret).status()).isEqualTo(403);
        Response again = api.command("DELETE", tokens(ws, id) + "/" + secondId).token(admin).send();
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.detail()).contains("already revoked");
        assertThat(api.command("DELETE", tokens(ws, id) + "/no-such-token").token(admin).send().status())
                .isEqualTo(404);
        Response past = api.command("POST", tokens(ws, id)).token(admin)
                .json(Map.of("expiresAt", Instant.now().minus(1, ChronoUnit.HOURS).toString())).send();
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.detail()).contains("expiresAt");
        JsonNode sixthAfterRevoke = api.issueToken(ws, admin, id);

        Eventually.read(() -> api.listTokens(ws, admin, id), page -> {
            JsonNode revoked = Json.findById(page, secondId).orElseThrow();
            assertThat(revoked.path("status").asText()).isEqualTo("revoked");
            assertThat(revoked.path("revokedAt").asText()).isNotBlank();
            assertThat(Json.text(revoked, "revokedReason")).isNotBlank();
            assertThat(Json.items(page)).hasSize(6);
            assertThat(Json.filter(Json.items(page), t -> t.path("status").asText().equals("active"))).hasSize(5);
        });

        // deactivate: every token dies before the response; no new token while deactivated
        JsonNode deactivated = api.command("POST", serviceAccount(ws, id) + "/deactivate").token(admin)
                .json(Map.of("reason", "leaked in a CI log")).send().expect(200).json();
        assertThat(deactivated.path("status").asText()).isEqualTo("deactivated");
        assertThat(deactivated.path("name").asText()).isEqualTo("ci-builds");
        List<String> deadSecrets = new ArrayList<>(Json.texts(issued, "secret"));
        deadSecrets.add(sixthAfterRevoke.path("secret").asText());
        for (String secret : deadSecrets) {
            assertThat(Probe.commandSide(api, ws, secret).status()).isEqualTo(401);
            assertThat(Probe.querySide(api, ws, secret).status()).isEqualTo(401);
        }
        Response twice = api.command("POST", serviceAccount(ws, id) + "/deactivate").token(admin).send();
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.detail()).contains("already deactivated");
        Response tokenWhileDeactivated = api.command("POST", tokens(ws, id)).token(admin).send();
        assertThat(tokenWhileDeactivated.status()).isEqualTo(409);
        assertThat(tokenWhileDeactivated.detail()).contains("deactivated");

        Eventually.read(() -> api.getServiceAccount(ws, admin, id), sa -> {
            assertThat(sa.path("status").asText()).isEqualTo("deactivated");
            assertThat(sa.path("activeTokens").asInt()).isZero();
            assertThat(Json.list(sa.path("tokens"))).hasSize(6)
                    .allSatisfy(t -> assertThat(t.path("status").asText()).isEqualTo("revoked"));
        });
        assertThat(Json.findById(api.listServiceAccounts(ws, admin, "deactivated").expect(200).json(), id)).isPresent();
        assertThat(Json.findById(api.listServiceAccounts(ws, admin, "active").expect(200).json(), id)).isEmpty();

        // reactivate: a fresh token works, the old ones never again
        JsonNode reactivated = api.reactivate(ws, admin, id);
        assertThat(reactivated.path("status").asText()).isEqualTo("active");
        assertThat(reactivated.path("id").asText()).isEqualTo(id);
        String freshSecret = reactivated.path("token").path("secret").asText();
        String freshId = reactivated.path("token").path("id").asText();
        assertThat(TokenSecret.isWellFormed(freshSecret)).isTrue();
        assertThat(freshSecret).startsWith("svcacct_").isNotIn(deadSecrets);
        assertThat(freshId).isNotIn(Json.texts(issued, "id"));
        assertThat(Probe.commandSide(api, ws, freshSecret).status()).isEqualTo(403);
        assertThat(Probe.querySide(api, ws, freshSecret).status()).isEqualTo(403);
        for (String secret : deadSecrets) {
            assertThat(Probe.commandSide(api, ws, secret).status()).isEqualTo(401);
            assertThat(Probe.querySide(api, ws, secret).status()).isEqualTo(401);
        }
        Response reactivateActive = api.command("POST", serviceAccount(ws, id) + "/reactivate").token(admin).send();
        assertThat(reactivateActive.status()).isEqualTo(409);
        Eventually.read(() -> api.getServiceAccount(ws, admin, id), sa -> {
            assertThat(sa.path("status").asText()).isEqualTo("active");
            assertThat(sa.path("activeTokens").asInt()).isEqualTo(1);
            assertThat(Json.find(Json.list(sa.path("tokens")), "id", freshId)).isPresent();
        });

        // delete: tokens die, later commands are 404, name is free again
        api.delete(ws, admin, id);
        assertThat(Probe.commandSide(api, ws, freshSecret).status()).isEqualTo(401);
        assertThat(Probe.querySide(api, ws, freshSecret).status()).isEqualTo(401);
        assertSoftly(soft -> {
            soft.assertThat(api.command("PATCH", serviceAccount(ws, id)).token(admin).json(Map.of("name", "x"))
                    .send().status()).as("rename after delete").isEqualTo(404);
            soft.assertThat(api.command("POST", serviceAccount(ws, id) + "/deactivate").token(admin).send().status())
                    .as("deactivate after delete").isEqualTo(404);
            soft.assertThat(api.command("POST", serviceAccount(ws, id) + "/reactivate").token(admin).send().status())
                    .as("reactivate after delete").isEqualTo(404);
            soft.assertThat(api.command("POST", tokens(ws, id)).token(admin).send().status())
                    .as("issue token after delete").isEqualTo(404);
            soft.assertThat(api.command("DELETE", tokens(ws, id) + "/" + freshId).token(admin).send().status())
                    .as("revoke token after delete").isEqualTo(404);
            soft.assertThat(api.command("DELETE", serviceAccount(ws, id)).token(admin).send().status())
                    .as("delete twice").isEqualTo(404);
        });
        JsonNode successor = api.createServiceAccount(ws, admin, "CI-Builds");
        assertThat(successor.path("id").asText()).isNotEqualTo(id);

        Eventually.read(() -> api.listServiceAccounts(ws, admin), page -> {
            assertThat(Json.findById(page, id)).as("deleted accounts are not listed by default").isEmpty();
            assertThat(Json.findById(page, successor.path("id").asText())).isPresent();
        });
        JsonNode deletedPage = api.listServiceAccounts(ws, admin, "deleted").expect(200).json();
        assertThat(Json.findById(deletedPage, id)).isPresent()
                .hasValueSatisfying(sa -> assertThat(sa.path("status").asText()).isEqualTo("deleted"));
        JsonNode deletedDetail = api.getServiceAccount(ws, admin, id).expect(200).json();
        assertThat(deletedDetail.path("status").asText()).isEqualTo("deleted");
        assertThat(deletedDetail.path("name").asText()).isEqualTo("ci-builds");
        assertThat(Json.list(deletedDetail.path("tokens")))
                .allSatisfy(t -> assertThat(t.path("status").asText()).isEqualTo("revoked"));
        assertThat(api.getServiceAccount(ws, admin, Probe.NO_SUCH_ACCOUNT).status()).isEqualTo(404);
        assertThat(api.listTokens(ws, admin, Probe.NO_SUCH_ACCOUNT).status()).isEqualTo(404);
    }

    @Test
    void quota_countsDeactivatedAccounts_andDeletingOneFreesItsSlotAndName() {
        String ws = "quota";
        String admin = api.createWorkspace(ws, "alice").path("token").path("secret").asText();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(api.createServiceAccount(ws, admin, "robot-" + i).path("id").asText());
        }
        Response full = api.command("POST", serviceAccounts(ws)).token(admin).json(Map.of("name", "robot-50")).send();
        assertThat(full.status()).isEqualTo(409);
        assertThat(full.isProblem()).isTrue();
        assertThat(full.detail()).contains("50");

        api.deactivate(ws, admin, ids.get(7));
        assertThat(api.command("POST", serviceAccounts(ws)).token(admin).json(Map.of("name", "robot-50"))
                .send().status()).as("a deactivated account still holds its slot").isEqualTo(409);

        api.delete(ws, admin, ids.get(3));
        JsonNode reused = api.createServiceAccount(ws, admin, "Robot-3");
        assertThat(reused.path("name").asText()).isEqualTo("Robot-3");
        assertThat(api.command("POST", serviceAccounts(ws)).token(admin).json(Map.of("name", "robot-51"))
                .send().status()).as("the freed slot is taken again").isEqualTo(409);

        // wait for the last change (the reused name) so the counts below see the whole history
        Eventually.read(() -> api.listServiceAccounts(ws, admin), page -> {
            assertThat(Json.items(page)).hasSize(50);
            assertThat(Json.items(page))
                    .anySatisfy(account -> assertThat(account.path("name").asText()).isEqualTo("Robot-3"));
        });
        assertThat(Json.items(api.listServiceAccounts(ws, admin, "deactivated").expect(200).json())).hasSize(1);
        assertThat(Json.items(api.listServiceAccounts(ws, admin, "active").expect(200).json())).hasSize(49);
        assertThat(Json.items(api.listServiceAccounts(ws, admin, "deleted").expect(200).json())).hasSize(1);
    }

    @Test
    void nameTaken_inAnyCase_isAConflict_andRenamingOntoItToo() {
        String ws = "names";
        String admin = api.createWorkspace(ws, "alice").path("token").path("secret").asText();
        api.createServiceAccount(ws, admin, "Deploy-Bot");
        String other = api.createServiceAccount(ws, admin, "release-bot").path("id").asText();

        Response duplicate =
                api.command("POST", serviceAccounts(ws)).token(admin).json(Map.of("name", "deploy-bot")).send();
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.detail()).contains("deploy-bot");
        Response renameOnto = api.command("PATCH", serviceAccount(ws, other)).token(admin)
                .json(Map.of("name", "DEPLOY-BOT")).send();
        assertThat(renameOnto.status()).isEqualTo(409);
        // renaming an account to another case of its own name is fine
        assertThat(api.rename(ws, admin, other, "Release-Bot").path("name").asText()).isEqualTo("Release-Bot");
    }

    // ------------------------------------------------------------------ who may do what

    /** An admin endpoint: {@code accountLevel} when it names an account, not just the workspace. */
    private record Endpoint(boolean accountLevel, Function<String, Response> call) {
    }

    /** Every admin endpoint of both sides, for {@code ws} and account {@code sa} (token {@code tokenId}). */
    private static List<Endpoint> adminEndpoints(String ws, String sa, String tokenId) {
        return List.of(
                new Endpoint(false, token -> api.command("POST", serviceAccounts(ws)).token(token)
                        .json(Map.of("name", "sneaky")).send()),
                new Endpoint(true, token -> api.command("PATCH", serviceAccount(ws, sa)).token(token)
                        .json(Map.of("name", "renamed")).send()),
                new Endpoint(true, token -> api.command("POST", serviceAccount(ws, sa) + "/deactivate").token(token)
                        .send()),
                new Endpoint(true, token -> api.command("POST", serviceAccount(ws, sa) + "/reactivate").token(token)
                        .send()),
                new Endpoint(true, token -> api.command("DELETE", serviceAccount(ws, sa)).token(token).send()),
                new Endpoint(true, token -> api.command("POST", tokens(ws, sa)).token(token).send()),
                new Endpoint(true, token -> api.command("DELETE", tokens(ws, sa) + "/" + tokenId).token(token).send()),
                new Endpoint(false, token -> api.query("GET", serviceAccounts(ws)).token(token).send()),
                new Endpoint(false, token -> api.query("GET", serviceAccounts(ws)).param("status", "deleted")
                        .token(token).send()),
                new Endpoint(true, token -> api.query("GET", serviceAccount(ws, sa)).token(token).send()),
                new Endpoint(true, token -> api.query("GET", tokens(ws, sa)).token(token).send()),
                new Endpoint(false, token -> api.query("GET", Api.audit(ws)).token(token).send()));
    }

    @Test
    void serviceAccountToken_isForbiddenOnEveryAdminEndpointOfBothSides_withTheRuleNamed() {
        assertSoftly(soft -> {
            for (Endpoint endpoint : adminEndpoints(WS, saId, saTokenId)) {
                Response response = endpoint.call().apply(saToken);
                soft.assertThat(response.status()).as(response.describe()).isEqualTo(403);
                soft.assertThat(response.isProblem()).as(response.describe() + " is problem+json").isTrue();
                soft.assertThat(response.detail()).as(response.describe() + " names the rule")
                        .containsIgnoringCase("admin");
            }
        });
        // and nothing was changed by those attempts
        assertThat(Probe.commandSide(api, WS, saToken).status()).isEqualTo(403);
        Eventually.read(() -> api.getServiceAccount(WS, adminToken, saId), sa -> {
            assertThat(sa.path("name").asText()).isEqualTo("shared-fixture");
            assertThat(sa.path("status").asText()).isEqualTo("active");
            assertThat(sa.path("activeTokens").asInt()).isEqualTo(1);
        });
        assertThat(Json.find(Json.items(api.listServiceAccounts(WS, adminToken).expect(200).json()), "name", "sneaky"))
                .isEmpty();
    }

    @Test
    void anotherWorkspacesPrincipals_getNotFound_onEveryEndpoint_neverAHint() {
        assertSoftly(soft -> {
            // globex's admin on acme's endpoints
            for (Endpoint endpoint : adminEndpoints(WS, saId, saTokenId)) {
                Response response = endpoint.call().apply(otherAdminToken);
                soft.assertThat(response.status()).as("other workspace's admin: " + response.describe()).isEqualTo(404);
                soft.assertThat(response.isProblem()).as(response.describe() + " is problem+json").isTrue();
            }
            // acme's account id through globex's own workspace path, by globex's admin
            for (Endpoint endpoint : adminEndpoints(OTHER_WS, saId, saTokenId)) {
                if (endpoint.accountLevel()) {
                    Response response = endpoint.call().apply(otherAdminToken);
                    soft.assertThat(response.status()).as("foreign account id: " + response.describe()).isEqualTo(404);
                }
            }
            // acme's service account on globex's endpoints: 404 too, not 403 (it must not learn globex exists)
            for (Endpoint endpoint : adminEndpoints(OTHER_WS, otherSaId, "whatever")) {
                Response response = endpoint.call().apply(saToken);
                soft.assertThat(response.status()).as("acme's account on globex: " + response.describe())
                        .isEqualTo(404);
            }
        });
        // none of those attempts changed either workspace
        Eventually.read(() -> api.getServiceAccount(WS, adminToken, saId), sa -> {
            assertThat(sa.path("name").asText()).isEqualTo("shared-fixture");
            assertThat(sa.path("status").asText()).isEqualTo("active");
        });
        Eventually.read(() -> api.listServiceAccounts(OTHER_WS, otherAdminToken), list -> assertThat(Json.items(list))
                .extracting(sa -> sa.path("name").asText()).containsExactly("globex-robot"));
        // a workspace that does not exist at all is just as unknown
        Response unknown = api.command("POST", serviceAccounts("no-such-ws")).token(adminToken)
                .json(Map.of("name", "x")).send();
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(api.query("GET", serviceAccounts("no-such-ws")).token(adminToken).send().status()).isEqualTo(404);
    }

    @Test
    void onlyTheOperator_createsWorkspaces() {
        Map<String, Object> body = Map.of("id", "hooli", "name", "Hooli", "admin", Map.of("username", "gavin"));
        Response byAdmin = api.command("POST", "/v1/workspaces").token(adminToken).json(body).send();
        assertThat(byAdmin.status()).isEqualTo(403);
        assertThat(byAdmin.detail()).containsIgnoringCase("operator");
        assertThat(api.command("POST", "/v1/workspaces").token(saToken).json(body).send().status()).isEqualTo(403);
        assertThat(api.command("POST", "/v1/workspaces").json(body).send().status()).isEqualTo(401);
    }

    // ------------------------------------------------------------------ bad input

    static Stream<Arguments> badInput() {
        String longName = "n".repeat(500);
        return Stream.of(
                // name, method, path ({sa} = the fixture account), body (null: none), expected in detail,
                // field in errors[]
                bad("malformed JSON", "POST", "", "{\"name\": \"x\"", "JSON", null),
                bad("no body at all", "POST", "", null, "body", null),
                bad("unknown field", "POST", "", "{\"name\":\"x\",\"nmae\":\"y\"}", "nmae", null),
                bad("name is a number", "POST", "", "{\"name\":5}", "name", null),
                bad("name is an array", "POST", "", "{\"name\":[\"x\"]}", "name", null),
                bad("name is an object", "POST", "", "{\"name\":{\"first\":\"x\"}}", "name", null),
                bad("name missing", "POST", "", "{\"description\":\"x\"}", "name", "name"),
                bad("name null", "POST", "", "{\"name\":null}", "name", "name"),
                bad("name empty", "POST", "", "{\"name\":\"\"}", "name", "name"),
                bad("name blank", "POST", "", "{\"name\":\"   \"}", "name", "name"),
                bad("name of 500 characters", "POST", "", "{\"name\":\"" + longName + "\"}", "name", "name"),
                bad("control character in name", "POST", "", "{\"name\":\"bell\\u0007bot\"}", "name", "name"),
                bad("newline in name", "POST", "", "{\"name\":\"two\\nlines\"}", "name", "name"),
                bad("description of 257 characters", "POST", "",
                        "{\"name\":\"ok\",\"description\":\"" + "d".repeat(257) + "\"}", "description", "description"),
                bad("update with nothing to change", "PATCH", "/{sa}", "{}", "name", null),
                bad("update to an empty name", "PATCH", "/{sa}", "{\"name\":\"\"}", "name", "name"),
                bad("update with a control character", "PATCH", "/{sa}", "{\"name\":\"tab\\tbed\"}", "name", "name"),
                bad("update with unknown field", "PATCH", "/{sa}", "{\"title\":\"x\"}", "title", null),
                bad("deactivate with unknown field", "POST", "/{sa}/deactivate", "{\"reson\":\"typo\"}", "reson", null),
                bad("deactivation reason of 501 characters", "POST", "/{sa}/deactivate",
                        "{\"reason\":\"" + "r".repeat(501) + "\"}", "reason", "reason"),
                bad("token with snake_case expires_at", "POST", "/{sa}/tokens",
                        "{\"expires_at\":\"2030-01-01T00:00:00Z\"}", "expires_at", null),
                bad("token expiresAt not a date", "POST", "/{sa}/tokens",
                        "{\"expiresAt\":\"tomorrow\"}", "expiresAt", null),
                bad("token expiresAt without time", "POST", "/{sa}/tokens",
                        "{\"expiresAt\":\"2030-01-01\"}", "expiresAt", null),
                bad("token expiresAt in the past", "POST", "/{sa}/tokens",
                        "{\"expiresAt\":\"2020-01-01T00:00:00Z\"}", "expiresAt", null),
                bad("token expiresAt beyond year 9999", "POST", "/{sa}/tokens",
                        "{\"expiresAt\":\"+300000-01-01T00:00:00Z\"}", "to 9999", null),
                bad("token description of 257 characters", "POST", "/{sa}/tokens",
                        "{\"description\":\"" + "d".repeat(257) + "\"}", "description", "description"),
                bad("token body not an object", "POST", "/{sa}/tokens", "[]", "body", null));
    }

    private static Arguments bad(String name, String method, String path, String body, String detailMentions,
                                 String field) {
        return Arguments.of(name, method, path, body, detailMentions, field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInput_isA400ProblemNamingTheField(String name, String method, String path, String body,
                                              String detailMentions, String field) {
        Api.Request request =
                api.command(method, serviceAccounts(WS) + path.replace("{sa}", targetId)).token(adminToken);
        if (body != null) {
            request.rawJson(body);
        } else {
            request.header("Content-Type", "application/json");
        }
        Response response = request.send();

        assertThat(response.status()).as(name + ": " + response).isEqualTo(400);
        assertProblem(response, 400);
        assertThat(response.detail()).as(name).containsIgnoringCase(detailMentions);
        if (field != null) {
            assertThat(Json.texts(Json.list(response.json().path("errors")), "field")).as(name + ": errors[]")
                    .contains(field);
        }
    }

    static Stream<Arguments> badWorkspaceInput() {
        return Stream.of(
                Arguments.of("id with capitals",
                        "{\"id\":\"Acme2\",\"name\":\"x\",\"admin\":{\"username\":\"al\"}}", "id"),
                Arguments.of("id too short", "{\"id\":\"ab\",\"name\":\"x\",\"admin\":{\"username\":\"al\"}}", "id"),
                Arguments.of("id too long",
                        "{\"id\":\"" + "a".repeat(41) + "\",\"name\":\"x\",\"admin\":{\"username\":\"al\"}}", "id"),
                Arguments.of("username too short",
                        "{\"id\":\"abc\",\"name\":\"x\",\"admin\":{\"username\":\"a\"}}", "username"),
                Arguments.of("username with a space",
                        "{\"id\":\"abc\",\"name\":\"x\",\"admin\":{\"username\":\"a b\"}}", "username"),
                Arguments.of("admin missing", "{\"id\":\"abc\",\"name\":\"x\"}", "admin"),
                Arguments.of("unknown field",
                        "{\"id\":\"abc\",\"name\":\"x\",\"admin\":{\"username\":\"al\"},\"plan\":\"pro\"}", "plan"));
    }

    @ParameterizedTest(name = "workspace: {0}")
    @MethodSource("badWorkspaceInput")
    void badWorkspaceInput_isA400ProblemNamingTheField(String name, String body, String field) {
        Response response = api.command("POST", "/v1/workspaces").token(api.operatorToken()).rawJson(body).send();
        assertThat(response.status()).as(name + ": " + response).isEqualTo(400);
        assertProblem(response, 400);
        assertThat(response.detail()).as(name).contains(field);
    }

    @Test
    void badHeadersAndParameters_areA400ProblemNamingThem() {
        Response longReason = api.command("PATCH", serviceAccount(WS, targetId)).token(adminToken)
                .header("X-Audit-Reason", "r".repeat(501)).json(Map.of("description", "x")).send();
        assertThat(longReason.status()).isEqualTo(400);
        assertProblem(longReason, 400);
        assertThat(longReason.detail()).contains("X-Audit-Reason");

        Response controlReason = api.command("PATCH", serviceAccount(WS, targetId)).token(adminToken)
                .header("X-Audit-Reason", "because\tI said so").json(Map.of("description", "x")).send();
        assertThat(controlReason.status()).isEqualTo(400);
        assertThat(controlReason.detail()).contains("X-Audit-Reason");

        Response badStatus = api.listServiceAccounts(WS, adminToken, "sleeping");
        assertThat(badStatus.status()).isEqualTo(400);
        assertProblem(badStatus, 400);
        assertThat(badStatus.detail()).contains("status");

        Response hugeLimit = api.query("GET", Api.audit(WS)).param("limit", "501").token(adminToken).send();
        assertThat(hugeLimit.status()).isEqualTo(400);
        assertProblem(hugeLimit, 400);
        assertThat(hugeLimit.detail()).contains("limit");

        Response wordLimit = api.query("GET", Api.audit(WS)).param("limit", "many").token(adminToken).send();
        assertThat(wordLimit.status()).isEqualTo(400);
        assertThat(wordLimit.detail()).contains("limit");

        Response badFrom = api.query("GET", Api.audit(WS)).param("from", "yesterday").token(adminToken).send();
        assertThat(badFrom.status()).isEqualTo(400);
        assertThat(badFrom.detail()).contains("from");

        Response zeroLimit = api.query("GET", Api.audit(WS)).param("limit", "0").token(adminToken).send();
        assertThat(zeroLimit.status()).isEqualTo(400);
        assertThat(zeroLimit.detail()).contains("limit");

        Response badCursor = api.query("GET", Api.audit(WS)).param("after", "page-two").token(adminToken).send();
        assertThat(badCursor.status()).isEqualTo(400);
        assertProblem(badCursor, 400);
        assertThat(badCursor.detail()).contains("after");

        // the description was never changed by the refused requests
        Eventually.read(() -> api.getServiceAccount(WS, adminToken, targetId),
                sa -> assertThat(Json.text(sa, "description")).isNull());
    }

    @Test
    void unknownRoutesWrongMethodsAndMediaTypes_areProblemsNotServerErrors() {
        List<Response> responses = List.of(
                api.command("GET", serviceAccounts(WS)).token(adminToken).send(), // reads live on the query side
                api.command("PUT", serviceAccount(WS, targetId)).token(adminToken).json(Map.of("name", "x")).send(),
                api.command("POST", "/v1/no-such-thing").token(adminToken).json(Map.of()).send(),
                api.query("DELETE", serviceAccount(WS, targetId)).token(adminToken).send(),
                api.query("GET", "/v1/no-such-thing").token(adminToken).send(),
                api.command("POST", serviceAccounts(WS)).token(adminToken)
                        .header("Content-Type", "text/plain").rawJson("name=x").send());
        assertSoftly(soft -> {
            for (Response response : responses) {
                soft.assertThat(response.status()).as(response.describe()).isBetween(400, 499);
                soft.assertThat(response.isProblem()).as(response.describe() + " is problem+json").isTrue();
                soft.assertThat(response.json().path("requestId").asText()).as(response.describe() + " requestId")
                        .isEqualTo(response.header("X-Request-Id"));
            }
        });
    }

    // ------------------------------------------------------------------ authentication

    static Stream<Arguments> unauthenticated() {
        String unknownButWellFormed = TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX);
        String unknownUser = TokenSecret.generate(TokenSecret.USER_PREFIX);
        String badChecksum = unknownButWellFormed.substring(0, unknownButWellFormed.length() - 1)
                + (unknownButWellFormed.endsWith("0") ? "1" : "0");
        return Stream.of(
                Arguments.of("no Authorization header", null),
                Arguments.of("empty bearer", "Bearer "),
                Arguments.of("garbage bearer", "Bearer garbage"),
                Arguments.of("basic auth", "Basic YWxpY2U6c2VjcmV0"),
                Arguments.of("unknown well-formed service-account token", "Bearer " + unknownButWellFormed),
                Arguments.of("unknown well-formed user token", "Bearer " + unknownUser),
                Arguments.of("token with a wrong checksum", "Bearer " + badChecksum),
                Arguments.of("wrong operator credential", "Bearer operator-credential-" + "0".repeat(48)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unauthenticated")
    void missingOrBadToken_is401WithWwwAuthenticate_onBothSides(String name, String authorization) {
        List<Api.Request> requests = List.of(
                api.command("POST", serviceAccounts(WS)).json(Map.of("name", "x")),
                api.command("DELETE", tokens(WS, saId) + "/" + saTokenId),
                api.command("POST", "/v1/workspaces")
                        .json(Map.of("id", "zzz", "name", "z", "admin", Map.of("username", "zz"))),
                api.query("GET", serviceAccounts(WS)),
                api.query("GET", Api.audit(WS)));
        for (Api.Request request : requests) {
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            Response response = request.send();
            assertThat(response.status()).as(name + ": " + response.describe()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).as(name + ": " + response.describe()).startsWith("Bearer");
            assertProblem(response, 401);
        }
        // nothing was done with those requests: the fixture token still works
        assertThat(Probe.querySide(api, WS, saToken).status()).isEqualTo(403);
    }

    @Test
    void healthChecks_needNoToken() {
        for (Response response : List.of(api.command("GET", "/actuator/health").send(),
                api.query("GET", "/actuator/health").send())) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().path("status").asText()).isEqualTo("UP");
        }
    }

    // ------------------------------------------------------------------ request ids

    @Test
    void requestIds_areOurOwnAndUnique_theClientsIdIsItsCorrelationId_onSuccessAndOnErrors_onBothSides() {
        List<Response> reusingOneId = List.of(
                api.command("PATCH", serviceAccount(WS, saId)).token(adminToken)
                        .json(Map.of("description", "used by the rule tests")),
                api.command("POST", serviceAccounts(WS)).token(adminToken).rawJson("{\"name\":\"\"}"),
                api.command("POST", serviceAccounts(WS)).token(saToken).json(Map.of("name", "x")),
                api.command("POST", serviceAccounts(WS)).json(Map.of("name", "x")),
                api.query("GET", serviceAccounts(WS)).token(adminToken),
                api.query("GET", serviceAccount(WS, Probe.NO_SUCH_ACCOUNT)).token(adminToken),
                api.query("GET", serviceAccounts(WS))).stream()
                .map(request -> request.header("X-Request-Id", "job-42").send()).toList();
        assertThat(reusingOneId).extracting(Response::status).containsExactly(200, 400, 403, 401, 200, 404, 401);
        Set<String> ours = new HashSet<>();
        for (Response response : reusingOneId) {
            String requestId = response.header("X-Request-Id");
            assertThat(UUID.fromString(requestId)).as(response.describe() + ": our own id").isNotNull();
            assertThat(ours.add(requestId)).as(response.describe() + ": a new id").isTrue();
            assertThat(response.header("X-Correlation-Id")).as(response.describe()).isEqualTo("job-42");
            if (response.status() >= 400) {
                assertThat(response.json().path("requestId").asText()).as(response.describe()).isEqualTo(requestId);
                assertThat(response.json().path("correlationId").asText()).as(response.describe()).isEqualTo("job-42");
            }
        }

        // X-Correlation-Id works too; none sent: none echoed, our id all the same
        Response correlated = api.query("GET", serviceAccounts(WS)).token(adminToken)
                .header("X-Correlation-Id", "batch 7/12").send().expect(200);
        assertThat(correlated.header("X-Correlation-Id")).isEqualTo("batch 7/12");
        Response plain = api.command("POST", serviceAccounts(WS)).token(adminToken).rawJson("{}").send();
        assertThat(plain.header("X-Correlation-Id")).isNull();
        assertThat(plain.json().has("correlationId")).isFalse();
        assertThat(plain.json().path("requestId").asText()).isEqualTo(plain.header("X-Request-Id"));

        // a correlation id that could not be recorded as sent is refused, not replaced
        for (Api.Request request : List.of(
                api.query("GET", serviceAccounts(WS)).token(adminToken).header("X-Request-Id", "x".repeat(129)),
                api.query("GET", serviceAccounts(WS)).token(adminToken).header("X-Correlation-Id", "tab\there"),
                api.command("POST", serviceAccounts(WS)).token(adminToken).json(Map.of("name", "two-ids"))
                        .header("X-Request-Id", "a").header("X-Correlation-Id", "b"))) {
            Response refused = request.send().expectProblem(400, "invalid-header");
            assertThat(UUID.fromString(refused.header("X-Request-Id"))).isNotNull();
        }
        assertThat(Json.texts(Json.items(api.listServiceAccounts(WS, adminToken).expect(200).json()), "name"))
                .doesNotContain("two-ids");
    }

    // ------------------------------------------------------------------ helpers

    private static void assertProblem(Response response, int status) {
        assertThat(response.contentType()).as(response.describe()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("type").asText()).as(response.describe() + " type").isNotBlank();
        assertThat(problem.path("title").asText()).as(response.describe() + " title").isNotBlank();
        assertThat(problem.path("status").asInt()).as(response.describe() + " status").isEqualTo(status);
        assertThat(problem.path("detail").asText()).as(response.describe() + " detail").isNotBlank();
        assertThat(response.body()).as("no stack trace").doesNotContain("Exception", "at dev.svcaccounts");
    }

    private static void assertNoSecretIn(JsonNode json, String secret) {
        String text = json.toString();
        assertThat(text.contains(secret)).as("a secret appears in a read response").isFalse();
        assertThat(text.contains(secret.substring(secret.indexOf('_') + 1, secret.indexOf('_') + 44)))
                .as("a secret's random part appears in a read response").isFalse();
        assertThat(text.contains(TokenSecret.hash(secret))).as("a secret's hash appears in a read response").isFalse();
        assertThat(text).doesNotContain("\"secret\"", "secretHash", "secret_hash");
    }
}
